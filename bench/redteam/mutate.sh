#!/bin/sh
# One mutation run: copies the worktree (with its built target/ folders) to $MUT_ROOT/NAME, applies a perl
# substitution to FILE there, checks that it changed the file, and runs the given tests of MODULE against it.
# Prints "NAME: KILLED" (a test failed: the defence is covered) or "NAME: SURVIVED". Never touches the worktree.
# Usage: mutate.sh NAME FILE PERL_EXPR MODULE TESTS
set -u
name=$1 file=$2 expr=$3 module=$4
tests=$(echo "$5" | sed 's/+\([A-Z]\)/,\1/g') # A+B (classes) -> A,B; A#m1+m2 kept
src=${MUT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
dst=${MUT_ROOT:-/tmp/rt/mut}/$name
rm -rf "$dst"; mkdir -p "$dst"
(cd "$src" && tar --exclude=./.git --exclude=./cli/target -cf - .) | (cd "$dst" && tar xf -)
rm -rf "$dst"/*/target/surefire-reports
cp "$dst/$file" "$dst/$file.orig"
perl -0pi -e "$expr" "$dst/$file"
if cmp -s "$dst/$file" "$dst/$file.orig"; then echo "$name: MUTATION DID NOT APPLY"; exit 2; fi
rm "$dst/$file.orig"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cd "$dst" && ./mvnw -B -q -pl "$module" -am test -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
  > "$dst.log" 2>&1
rc=$?
ran=$(cat "$dst"/*/target/surefire-reports/TEST-*.xml 2>/dev/null | grep -o '<testsuite [^>]*tests="[0-9]*"' | grep -o 'tests="[0-9]*"' | tr -dc '0-9\n' | awk '{s+=$1} END {print s+0}')
if [ "$ran" -eq 0 ]; then echo "$name: NO TESTS RAN ($tests)"; rm -rf "$dst"; exit 3; fi
if [ $rc -ne 0 ] && grep -q "Tests run:.*Failures\|FAIL\|There are test failures" "$dst.log"; then
  echo "$name: KILLED ($(grep -m3 -o '[A-Za-z]*Test\.[a-zA-Z_0-9]*' "$dst.log" | sort -u | tr '\n' ' '))"
elif [ $rc -ne 0 ]; then echo "$name: BUILD/RUN ERROR (see $dst.log)"
else echo "$name: SURVIVED ($ran tests passed)"; fi
rm -rf "$dst"
