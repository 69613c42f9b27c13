#!/usr/bin/env bash
# Ceiling: one blob as a plain client sends it: POST to open an upload, then one monolithic PUT
# (streamed from the file with -T) carrying ?digest=. Args: URL REPO FILE DIGEST CAFILE
set -euo pipefail
url=$1 repo=$2 file=$3 digest=$4 cacert=$5
loc=$(curl -sS --fail --cacert "$cacert" -X POST -o /dev/null -D - "$url/v2/$repo/blobs/uploads/" \
  | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
[ -n "$loc" ] || { echo "no Location in the POST answer" >&2; exit 1; }
case "$loc" in http*) ;; *) loc="$url$loc" ;; esac
case "$loc" in *\?*) sep='&' ;; *) sep='?' ;; esac
curl -sS --fail --cacert "$cacert" -T "$file" -H 'Content-Type: application/octet-stream' -o /dev/null "$loc${sep}digest=$digest"
