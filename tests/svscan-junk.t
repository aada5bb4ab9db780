#!/bin/sh
# svscan with 40,000 junk entries (plain files) in its scan directory
# (issue 13, item 11): a rescan stays linear in the number of entries, so
# new services are still noticed and started while the junk is there; each
# junk entry is warned about once, not once per rescan.  The speed bound is
# on svscan's CPU time, not on the wall clock: a rescan of 40,000 entries is
# 40,000 stat calls plus hash lookups (0.2 s here); the quadratic search of
# the warnings took 5.8 s of CPU per rescan.  The wall-clock figure is in
# the bench (make bench: "rescan with 40,000 junk entries").
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] || skip_all "bin/svscan or bin/supervise not built"
have perl || skip_all "perl is needed to make 40,000 files quickly"
cputicks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
JUNK=40000
RESCANS=3

mkdir "$T/sv"
perl -e 'for my $i (0 .. $ARGV[0] - 1) { open(my $f, ">", "$ARGV[1]/junk$i") or die "$!" }' "$JUNK" "$T/sv" ||
  bail "cannot create the junk files"
mkservice "$T/sv/a" 'exec sleep 100000'
start_svscan -t 0 "$T/sv"
wait_for 120000 svc_up "$T/sv/a"; ok $? "a service beside $JUNK junk files starts"
# a runs only after the first scan has gone through every entry
is "$(count_in "$T/err" ': not a directory$')" "$JUNK" "one warning per junk file after the first scan"

# rescans (SIGALRM), each followed by a new service; the signal reaches
# svscan before the new name does, so the service is up only after the
# rescan is done
c0=$(cputicks "$SVSCAN")
i=1
while [ $i -le $RESCANS ]; do
  kill -ALRM "$SVSCAN"
  newservice "b$i" 'exec sleep 100000'
  wait_for 120000 svc_up "$T/sv/b$i"; ok $? "rescan $i with $JUNK junk entries; a new service b$i is noticed and started"
  i=$((i + 1))
done
c1=$(cputicks "$SVSCAN")
ticks=$((c1 - c0))
ok $([ "$ticks" -lt $((RESCANS * 100)) ]; echo $?) "svscan's CPU for $RESCANS rescans of $JUNK entries: $ticks ticks (bound: 1 s each)"

# junk added while svscan runs: warned once when it appears, not again
perl -e 'for my $i (0 .. 99) { open(my $f, ">", "$ARGV[0]/late$i") or die "$!" }' "$T/sv"
kill -ALRM "$SVSCAN"
newservice c 'exec sleep 100000'
wait_for 120000 svc_up "$T/sv/c"; ok $? "after junk added later and a rescan, a new service still starts"
is "$(count_in "$T/err" '^svscan: warning: ignoring junk17: not a directory$')" 1 "junk17: one warning after $((RESCANS + 2)) scans"
is "$(count_in "$T/err" ': not a directory$')" "$((JUNK + 100))" "one warning per junk entry, old and new, in all"
kill -TERM "$SVSCAN"
wait "$SVSCAN"; is "$?" 0 "svscan exits 0"
done_testing
