# shellcheck shell=sh
# The JVM's JIT and GC flags for a vsa command: the one table that ./vsa (a checkout), bin/vsa (the distribution
# archive, lib/ beside it) and the container's entry point (/opt/vsa) all source, so they cannot choose differently
# (cli's LauncherTest runs all three and compares what each JVM got). Sourced, not run: every command pays for it,
# so no subshell and no process.
#
# vsa_jvm_flags ARGS...: sets jit to the flags for the command line ARGS (the launcher's own arguments). The user's
# VSA_JAVA_OPTS / JAVA_OPTS come after them on the java command line, so they can override any of these.
#
# validate and inspect are one quick pass over the data: the C1 compiler alone finishes them sooner (0.7 s -> 0.5 s on
# a 200 MB GLB); so is render (CPU 2.6 s -> 1.8 s for 1M splats, 1.6 s -> 1.0 s for DamagedHelmet at 1024x1024);
# conversions keep C2, whose code compresses faster. serve runs on C1 too: under load C2 spent ~19 s of CPU a minute
# compiling (request paths still 40-60 s in) at the requests' priority. bench/auth-load.sh 200 60 (2 cores, a
# high-priority cgroup), 6 runs a side on two builds: authenticated reads p90 77-197 ms (median 103) instead of 154-233
# (179), p99 436-1007 (599) instead of 609-1010 (907), the server's CPU the same. The cost, once warm (a second minute
# of the same load on the same server, 1 run a side): reads p99 385 vs 521 ms but server CPU 87 vs 80 s, C2's code
# being faster. Its in-process worker converts on C1 as well: a 1M-splat upload's steps (PLY -> SPZ, -> GLB, a
# render) in fresh JVMs took 3.2 s (CPU 3.9 s) instead of 3.6 s (5.0 s); 'vsa worker' keeps C2 for long runs.
#
# So is a conversion to compressed PLY (--to, or the name of the output when it is the second operand): its loops over
# the rows (read, encode, sort, gather and pack) run once each over hundreds of MB, and C2 compiles them when most of
# the work is done. A/B through ./vsa, 1M SH3 splats PLY->compressed PLY, 10 alternating runs each in a
# high-priority cgroup (2 cores, shared): mean 1.12 s vs 1.46 s (user 1.17 vs 1.53 s); 4M splats about even
# (3.2-3.7 s vs 2.9-4.0 s, the same CPU time). Its rows wait to the end in large arrays (64K rows each), and the
# parallel collector spends less system time on them than G1 (sys 0.3 vs 0.45 s); 1M splats, 38 alternating runs a side:
# mean 1.12 s vs 1.23 s, peak RSS 245 vs 277 MB; 4M splats 1.9-2.2 s vs 2.3-3.6 s, 622 vs 730 MB.
#
# So is reading a SOG (operand one: .sog or meta.json) to PLY: its WebP images are decoded in Java, once each, and C2
# compiled that loop after the decoding. 1M SH3 splats SOG->PLY, 6 alternating runs each in a high-priority cgroup
# (2 cores, shared): mean 0.91 s vs 1.31 s with C2 (libwebp before: 1.23 s; with C1 1.11 s); again through ./vsa:
# 0.89 s vs 1.08 s (libwebp before 1.03 s); output bytes unchanged.
# So is reading an SPZ to PLY: its rows are expanded once each on both cores (SpzReader's PlyRows path), and C2's
# compile threads took CPU from them for the whole conversion. 1M SH3 splats SPZ v4 -> PLY through the launcher's
# other flags, 6 alternating runs a side in a high-priority cgroup (2 cores, load 25-34): median 0.485 s vs 0.585 s,
# user 0.40 vs 0.58 s (main before the PlyRows path: 0.68 s).
#
# So is PLY -> GLB: its rows are read, encoded and written in blocks on both cores (PlyRows), and C2's compiles of those
# loops took a core for ~0.2 s of a 1M-splat run, with the first blocks interpreted meanwhile. 1M SH3 splats, java -jar
# with the convert AOT cache, 10 alternating runs each in a high-priority cgroup (2 cores, shared): median 0.50 s vs
# 0.635 s (CPU 0.70 vs 0.96 s); output bytes unchanged.
#
# Conversions fill hundreds of MB of fresh heap: transparent huge pages (where the OS offers them on request, as
# Debian's default 'madvise' does) cut the page faults that cost 14-17 % of their samples. A/B through ./vsa,
# 1M SH3 splats, 3 alternating runs each in a high-priority cgroup (2 cores, shared): PLY->GLB 0.87-0.99 s vs
# 0.99-1.41 s, PLY->compressed PLY 1.51-1.63 s vs 1.80-2.05 s, SPZ->PLY 0.76-0.92 s vs 0.98-1.16 s, SOG->PLY
# 1.33-1.55 s vs 1.47-1.63 s. Where the OS has them off, the JVM goes on without (its warning would go to stdout).
# SOG or SPZ to PLY streams through small reused buffers: no collection at all in a 1M-splat run (-Xlog:gc), so G1's
# set-up and barriers are pure cost there; the serial collector starts sooner. Through ./vsa, alternating runs in a
# high-priority cgroup (2 cores, load ~20): 1M SH3 SOG->PLY median 515 vs 560 ms, SPZ->PLY 610 vs 630 ms (10 a side), a
# 2,000-splat SOG->PLY 260 vs 280 ms (20); 4M SPZ->PLY the same either way (1.3-1.7 s); SPZ->PLY on C1 (SpzReader as
# PlyRows) 380 vs 405 ms (8 a side). PLY->SPZ and PLY->GLB gained nothing (8 a side): they keep G1.
# A collector the user names in VSA_JAVA_OPTS or JAVA_OPTS wins: the table's is left out, as the JVM refuses two.
vsa_jvm_flags() {
  jit=""
  case "${1:-}" in
    validate|inspect|render|serve) jit="-XX:TieredStopAtLevel=1"; return ;;
    convert) ;;
    merge|batch|diff) jit="-XX:+UseTransparentHugePages -Xlog:pagesize=off"; return ;;
    *) return ;;
  esac
  case "${2:-} ${3:-}" in
    *.sog" "*.ply|*meta.json" "*.ply|*.spz" "*.ply) jit="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" ;;
    *.ply" "*.glb) jit="-XX:TieredStopAtLevel=1" ;;
  esac
  case "${3:-}" in *.compressed.ply) jit="-XX:TieredStopAtLevel=1 -XX:+UseParallelGC" ;; esac
  vsa_prev=""
  for vsa_a in "$@"; do
    case "$vsa_prev $vsa_a" in
      "--to compressed-ply"|*" --to=compressed-ply") jit="-XX:TieredStopAtLevel=1 -XX:+UseParallelGC" ;;
      "--to glb"|*" --to=glb") case "${2:-}" in *.ply) jit="-XX:TieredStopAtLevel=1" ;; esac ;;
    esac
    vsa_prev=$vsa_a
  done
  for vsa_a in ${VSA_JAVA_OPTS:-} ${JAVA_OPTS:-}; do
    case "$vsa_a" in -XX:+Use*GC) jit=${jit%% -XX:+Use*GC} ;; esac
  done
  jit="$jit -XX:+UseTransparentHugePages -Xlog:pagesize=off"
}
