#!/bin/sh
# multilog: long lines and arbitrary bytes (NUL included) reach the log
# intact, from a file and from a pipe; memory stays bounded.
. "$(dirname "$0")/lib.sh"
M=$BIN/multilog
cd "$T" || bail "cd"

# binary bytes, NULs, CRs, 8-bit
printf 'a\000b\r\nline2 \377\376\001\n\000\000\n\n' > bin
"$M" ./b1 < bin; ok $? "binary from a file: exit 0"
cmp -s bin b1/current; ok $? "binary bytes and NULs intact (file)"
cat bin | "$M" ./b2
cmp -s bin b2/current; ok $? "binary bytes and NULs intact (pipe)"
cat bin | "$M" t ./b3
sed 's/^@[0-9a-f]\{24\} //' b3/current | cmp -s bin -; ok $? "binary lines stamped, bytes intact"

# a 1 MB line between short lines, no newline inside
awk 'BEGIN { print "first"; s = "0123456789abcdef"; while (length(s) < 1048576) s = s s; print s; print "last" }' > long
"$M" s16777215 ./l1 < long
cmp -s long l1/current; ok $? "1 MB line intact (file)"
cat long | "$M" s16777215 ./l2
cmp -s long l2/current; ok $? "1 MB line intact (pipe)"
cat long | "$M" t s16777215 ./l3
is "$(wc -l < l3/current | tr -d ' ')" 3 "1 MB line stamped once, still one line"
sed 's/^@[0-9a-f]\{24\} //' l3/current | cmp -s long -; ok $? "stamped 1 MB line intact"
cat long | "$M" s16777215 '-*' '+0123*' ./l4
is "$(wc -l < l4/current | tr -d ' ')" 1 "pattern selects the long line by its prefix"
cat long | "$M" -first -last e ./l5 2> l5err
is "$(wc -c < l5err | tr -d ' ')" 204 "e prints 200 bytes + ... of the long line"

# a line longer than the input window, with a NUL in the middle, in a pipe
awk 'BEGIN { s = "xyz"; while (length(s) < 3000000) s = s s; printf "%s", s }' > huge
printf '\000tail\n' >> huge
cat huge | "$M" s16777215 ./h1
cmp -s huge h1/current; ok $? "3 MB line with a NUL intact (pipe)"

# memory: a 20 MB line must not make multilog grow
mkfifo f; exec 3<>f
"$M" s16777215 ./m < f & ml=$!; track $ml
awk 'BEGIN { s = "mmmmmmmmmm"; while (length(s) < 20000000) s = s s; printf "%s\n", s }' >&3
wait_for 10000 sh -c '[ $(cat m/@* m/current 2>/dev/null | wc -c) -gt 20000000 ]'; ok $? "20 MB line written"
hwm=$(awk '/^VmHWM/ { print $2 }' /proc/$ml/status)
diag "peak RSS ${hwm} kB"
[ "$hwm" -lt 8192 ]; ok $? "peak RSS below 8 MB with a 20 MB line (${hwm} kB)"
kill -TERM $ml; wait_for 5000 dead $ml

done_testing
