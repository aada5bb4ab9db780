#!/bin/sh
# multilog: a full disk (a 256 KiB tmpfs) holds the producer back, loses
# nothing, tears no line, and writing resumes soon after space is freed.
. "$(dirname "$0")/lib.sh"
M=$BIN/multilog
is_root || skip_all "needs root to mount a tmpfs"
have mount || skip_all "no mount"
cd "$T" || bail "cd"
mkdir fs saved
mount -t tmpfs -o size=256k svkit-test fs 2>/dev/null || skip_all "cannot mount a tmpfs"
full_cleanup() {
  for p in $t_pids; do kill -KILL "$p" 2>/dev/null; done
  for p in $t_pids; do wait_for 2000 dead "$p"; done
  umount "$T/fs" 2>/dev/null || umount -l "$T/fs"
  t_cleanup
}
trap full_cleanup EXIT

N=40000
mkfifo f; exec 3<>f
"$M" t ./fs/d < f 2> err & ml=$!; track $ml
awk -v n=$N 'BEGIN { for (i = 1; i <= n; i++) print "line " i " yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"; print "END" }' > f &
prod=$!; track $prod

wait_for 10000 grep -q 'No space left on device' err; ok $? "full disk reported"
alive $prod; ok $? "producer held back while the disk is full"
is "$(grep -c 'unable to write' err)" 1 "one warning for the episode"
alive $ml; ok $? "multilog keeps running"

# free space: move the archives away; writing must resume quickly (timed
# from the end of the moves: starting mv processes is slow on a loaded machine)
for a in fs/d/@*; do mv "$a" saved/; done
t0=$(date +%s%N)
wait_for 5000 grep -q 'resumed writing' err; ok $? "writing resumed after space was freed"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
diag "resumed ${ms} ms after space was freed"
[ "$ms" -lt 1500 ]; ok $? "resumed within 1.5 s under any load (${ms} ms; retries every 50 ms)"

i=0
while ! grep -q '^@[0-9a-f]* END$' fs/d/current 2>/dev/null && [ $i -lt 300 ]; do
  for a in fs/d/@*; do [ -e "$a" ] && mv "$a" saved/; done
  wait_for 100 grep -q '^@[0-9a-f]* END$' fs/d/current
  i=$((i + 1))
done
wait_for 5000 dead $prod; ok $? "producer finished"
kill -TERM $ml; wait_for 5000 dead $ml; ok $? "multilog exits on TERM"

cat saved/@* fs/d/@* fs/d/current 2>/dev/null | sed 's/^@[0-9a-f]\{24\} //' > all
is "$(grep -v '^line [0-9]* y\{30\}$' all | grep -vc '^END$')" 0 "no torn line"
missing=$(awk -v n=$N '/^line / { seen[$2] = 1 } END { m = 0; for (i = 1; i <= n; i++) if (!(i in seen)) m++; print m }' all)
is "$missing" 0 "no line lost"
is "$(grep -c '^line ' all)" $N "no line duplicated"
done_testing
