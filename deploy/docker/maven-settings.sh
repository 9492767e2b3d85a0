#!/bin/sh
# Prints a Maven settings.xml; with a URL argument it mirrors every repository there (a company proxy, or a
# local one on a machine without Maven Central).
if [ -z "${1:-}" ]; then
  echo '<settings/>'
else
  printf '<settings><mirrors><mirror><id>mirror</id><mirrorOf>*</mirrorOf><url>%s</url></mirror></mirrors></settings>\n' "$1"
fi
