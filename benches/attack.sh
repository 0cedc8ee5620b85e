#!/usr/bin/env bash
# The by-hand part of the attack of issue "Write only where asked, never hang, never panic", as a
# script: the real binary in tmux, killed with SIGKILL mid-work, six TUIs on one corpus at once, a
# full disk and a read-only mount. Needs root (it mounts small tmpfs folders) and tmux.
#
#   cargo build --release && sudo bash benches/attack.sh [KILLS]
#
# Each part checks what a user would: no sidecar torn (every export of the corpus succeeds), no
# saved tag lost, every tag of six annotators at once kept, nothing written on a full or read-only
# disk, and the tags made there kept in a recovery file that `gloss recover` merges back.
set -euo pipefail
cd "$(dirname "$0")/.."
GLOSS="$PWD/target/release/gloss"
KILLS="${1:-100}"
[ -x "$GLOSS" ] || { echo "build first: cargo build --release" >&2; exit 2; }
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "run as root (the disk parts mount tmpfs)" >&2; exit 2; }

T="$(mktemp -d)"
SOCK="$T/tmux.sock"
MOUNTS=()
cleanup() {
    tmux -S "$SOCK" kill-server 2>/dev/null || true
    for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null || true; done
    rm -rf "$T"
}
trap cleanup EXIT
export GLOSS_DATA_DIR="$T/data" GLOSS_CACHE_DIR="$T/cache" GLOSS_CONFIG_DIR="$T/config"
mkdir -p "$GLOSS_DATA_DIR" "$GLOSS_CACHE_DIR" "$GLOSS_CONFIG_DIR"
fail() { echo "FOUND: $*" >&2; exit 1; }
tm() { tmux -S "$SOCK" "$@"; }

# Start gloss on $1 in tmux session $2 (80x24), extra args after.
start() {
    local dir="$1" name="$2"
    shift 2
    tm new-session -d -s "$name" -x 80 -y 24 "$GLOSS $dir $* ; sleep 30"
    wait_for "$name" "Articles (" 10
}
wait_for() {
    local name="$1" text="$2" secs="$3" i
    for ((i = 0; i < secs * 20; i++)); do
        tm capture-pane -p -t "$name" 2>/dev/null | grep -qF -- "$text" && return 0
        sleep 0.05
    done
    tm capture-pane -p -t "$name" >&2 || true
    fail "session $name never showed '$text'"
}
keys() { tm send-keys -t "$1" "${@:2}"; }
# Tags in the corpus by export (fails, naming the file, if a sidecar is torn).
tags_in() { "$GLOSS" export "$1" --format jsonl -o - -q | python3 -c '
import sys, json
print(sum(len(json.loads(l)["spans"]) for l in sys.stdin if l.strip()))'; }
gloss_pid() { tm list-panes -t "$1" -F '#{pane_pid}' | xargs -I{} pgrep -P {} -x gloss; }

# --- 1. SIGKILL mid-work -------------------------------------------------------------------------
C="$T/kill"
cp -r assets/corpus "$C"
before=0
tagged=0
for ((i = 0; i < KILLS; i++)); do
    start "$C" k
    # the first article, a word further each round, tagged PERSON
    keys k g Enter
    keys k g
    for ((w = 0; w < i % 60; w++)); do keys k w; done
    keys k v e p
    sleep "0.$((RANDOM % 30))"
    pid="$(gloss_pid k || true)"
    [ -n "$pid" ] && kill -9 "$pid"
    tm kill-session -t k
    now="$(tags_in "$C")" || fail "round $i: the corpus no longer exports after kill -9"
    [ "$now" -ge "$before" ] || fail "round $i: $before tags before kill -9, $now after"
    [ "$now" -gt "$before" ] && tagged=$((tagged + 1))
    before="$now"
done
echo "kill -9: $KILLS rounds, $tagged saved a new tag before the kill, no sidecar torn, no saved tag lost ($before tags)"

# --- 2. six TUIs on one corpus at once ------------------------------------------------------------
C="$T/six"
cp -r assets/corpus "$C"
base="$(tags_in "$C")"
for k in 1 2 3 4 5 6; do start "$C" "s$k" --annotator "a$k"; keys "s$k" g Enter; done
per=5
for ((j = 0; j < per; j++)); do
    for k in 1 2 3 4 5 6; do
        # annotator k tags word 2 + 6j + k of the first article: no two tag the same word
        keys "s$k" g
        for ((w = 0; w < 2 + 6 * j + k; w++)); do keys "s$k" w; done
        keys "s$k" v p
    done
done
sleep 1
for k in 1 2 3 4 5 6; do keys "s$k" q; done
sleep 2
now="$(tags_in "$C")"
want=$((base + 6 * per))
[ "$now" -eq "$want" ] || fail "six TUIs: $want tags expected, $now saved"
echo "six TUIs at once: $((6 * per)) tags made, $((now - base)) saved"

# --- 3. a full disk and a read-only mount ----------------------------------------------------------
for kind in full readonly; do
    M="$T/mnt-$kind"
    mkdir -p "$M"
    mount -t tmpfs -o size=256k tmpfs "$M"
    MOUNTS+=("$M")
    cp assets/corpus/binhvq_001.txt assets/corpus/binhvq_002.txt "$M/"
    "$GLOSS" suggest "$M" -q >/dev/null 2>&1 || true # sidecars there before the disk fills
    sum_before="$(cat "$M"/*.ron 2>/dev/null | md5sum)"
    if [ "$kind" = full ]; then
        dd if=/dev/zero of="$M/fill" bs=4k 2>/dev/null || true
    else
        mount -o remount,ro "$M"
    fi
    rec_before="$(find "$GLOSS_DATA_DIR" -path '*recovery*' -name '*.ron' | wc -l)"
    start "$M" d
    keys d g Enter g w w v e p
    sleep 1
    keys d q
    sleep 1
    keys d q # a second q quits once the tags are kept somewhere
    sleep 1
    screen="$(tm capture-pane -p -t d)"
    tm kill-session -t d
    [ "$(cat "$M"/*.ron 2>/dev/null | md5sum)" = "$sum_before" ] \
        || fail "$kind disk: a sidecar changed"
    ls "$M" | grep -q 'tmp-' && fail "$kind disk: temp files left: $(ls "$M")"
    rec="$(find "$GLOSS_DATA_DIR" -path '*recovery*' -name '*.ron' -newer "$GLOSS" | sort | tail -1)"
    rec_after="$(find "$GLOSS_DATA_DIR" -path '*recovery*' -name '*.ron' | wc -l)"
    [ "$rec_after" -gt "$rec_before" ] || { echo "$screen" >&2; fail "$kind disk: no recovery file"; }
    # export to the full or read-only disk fails naming the file, and leaves nothing behind
    if "$GLOSS" export "$M" --format jsonl -o "$M/out.jsonl" -q 2>"$T/err"; then
        fail "$kind disk: an export onto it said it succeeded"
    fi
    grep -q "out.jsonl" "$T/err" || fail "$kind disk: the export's error names no file: $(cat "$T/err")"
    [ -e "$M/out.jsonl" ] && fail "$kind disk: a half export was left"
    # free the disk, then recover
    if [ "$kind" = full ]; then rm -f "$M/fill"; else mount -o remount,rw "$M"; fi
    side="$(ls "$M"/binhvq_001*.ron 2>/dev/null | head -1)"
    [ -n "$side" ] || side="$M/binhvq_001.ron"
    t0="$(tags_in "$M")"
    "$GLOSS" recover "$rec" "$side" >/dev/null
    t1="$(tags_in "$M")"
    [ "$t1" -gt "$t0" ] || fail "$kind disk: gloss recover added no tag ($t0 → $t1)"
    echo "$kind disk: nothing written there, the tag kept in a recovery file, recovered ($t0 → $t1 tags)"
done
echo "attack: nothing found"
