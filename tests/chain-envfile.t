#!/bin/sh
# envfile: variables from a .env file (dotenv format), then exec.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/chain-lib.sh"

F=$T/app.env
# var NAME [FILE]: the value of NAME under envfile FILE, "<unset>" if absent
var() {
  env -i KEPT=yes REPLACED=old "$BIN/envfile" "${2:-$F}" sh -c \
    'if [ -n "${'"$1"'+x}" ]; then printf "[%s]" "$'"$1"'"; else printf "<unset>"; fi'
}
cat > "$F" <<'E'
# a comment line

   # an indented comment
PLAIN=hello
SPACED =   trimmed value   
export EXPORTED=yes
export   EXPTABS	=	t
SINGLE='literal $HOME \n "q" # not a comment'
DOUBLE="a\nb \"q\" back\\slash \t kept"
DQHASH="x # y" # a comment after the quotes
SQEMPTY=''
DQEMPTY=""
EMPTY=
INLINE=value # a comment
HASHIN=a#b
DOLLAR=$HOME
BACKTICK=`id`
REPLACED=new
TWICE=first
TWICE=second
lower_case_1=ok
E
printf 'CRLF=dos\r\nLAST=no newline' >> "$F"

run env -i "$BIN/envfile" "$F" true
is "$rc" 0 "envfile runs the program"
is "$(var PLAIN)" "[hello]" "KEY=VALUE sets the variable"
is "$(var SPACED)" "[trimmed value]" "blanks around = and around an unquoted value are trimmed"
is "$(var EXPORTED)" "[yes]" "an export prefix is accepted"
is "$(var EXPTABS)" "[t]" "export with several blanks, tabs around ="
is "$(var SINGLE)" '[literal $HOME \n "q" # not a comment]' "single quotes: taken literally"
is "$(var DOUBLE)" '[a
b "q" back\slash \t kept]' 'double quotes: the newline, quote and backslash escapes; other backslashes kept'
is "$(var DQHASH)" "[x # y]" "a # inside double quotes is kept, a comment after them dropped"
is "$(var SQEMPTY)" "[]" "'' sets an empty value"
is "$(var DQEMPTY)" "[]" '"" sets an empty value'
is "$(var EMPTY)" "[]" "KEY= sets an empty value"
is "$(var INLINE)" "[value]" "unquoted: a blank then # starts a comment"
is "$(var HASHIN)" "[a#b]" "unquoted: a # inside a word is kept"
is "$(var DOLLAR)" '[$HOME]' "no variable expansion"
is "$(var BACKTICK)" '[`id`]' "no command expansion"
is "$(var REPLACED)" "[new]" "an existing variable is replaced"
is "$(var KEPT)" "[yes]" "other variables are left alone"
is "$(var TWICE)" "[second]" "a variable set twice: the last line wins"
is "$(var lower_case_1)" "[ok]" "lower case, digits and _ in names"
is "$(var CRLF)" "[dos]" "a CR before the newline is ignored"
is "$(var LAST)" "[no newline]" "a last line without newline is used"
is "$(env -i "$BIN/envfile" "$F" env | grep -c '^#')" 0 "comments set nothing"

# malformed lines: exit 100, FILE:LINE: reason, program not run
bad() {  # bad DESC LINE-CONTENT REASON
  printf 'GOOD=1\n%s\n' "$2" > "$T/bad.env"
  run "$BIN/envfile" "$T/bad.env" touch "$T/ran"
  is "$rc" 100 "$1: exit 100"
  is "$err" "envfile: fatal: $T/bad.env:2: $3" "$1: message names file, line and reason"
  [ ! -e "$T/ran" ]; ok $? "$1: program not run"
}
bad "no =" "JUSTAKEY" "no = after the variable name"
bad "a digit first" "1KEY=v" "a variable name must start with a letter or _"
bad "a dash in the name" "MY-KEY=v" "invalid character in variable name"
bad "a blank in the name" "MY KEY=v" "invalid character in variable name"
bad "unterminated single quote" "K='abc" "unterminated single quote"
bad "unterminated double quote" 'K="abc\"' "unterminated double quote"
bad "text after a quote" "K='a'b" "text after the closing quote"
bad "= without a name" "=v" "a variable name must start with a letter or _"
printf 'A=1\nB=x\0y\n' > "$T/nul.env"
run "$BIN/envfile" "$T/nul.env" true
is "$rc" 100 "a NUL byte: exit 100"
is "$err" "envfile: fatal: $T/nul.env:2: NUL byte in line" "a NUL byte: named"

# bounded line length
awk 'BEGIN { printf "LONG="; for (i = 0; i < 131000; i++) printf "y"; printf "\n" }' > "$T/long.env"
is "$(var LONG "$T/long.env" | wc -c | tr -d ' ')" 131002 "a line of 131072 bytes is read whole"
awk 'BEGIN { printf "A=1\nLONG="; for (i = 0; i < 131100; i++) printf "y"; printf "\n" }' > "$T/toolong.env"
run "$BIN/envfile" "$T/toolong.env" true
is "$rc" 100 "a longer line: exit 100"
is "$err" "envfile: fatal: $T/toolong.env:2: line longer than 131072 bytes" "a longer line: named"
if [ -r /dev/zero ]; then
  run "$BIN/envfile" /dev/zero true
  is "$rc" 100 "/dev/zero: refused (exit 100), bounded memory"
fi

# missing file, -i, usage
run "$BIN/envfile" "$T/nonexistent" touch "$T/ran"
is "$rc" 111 "a missing file: exit 111"
like "$T/nonexistent" "$err" "a missing file: message names it"
run env -i A=1 "$BIN/envfile" -i "$T/nonexistent" sh -c 'echo "$A"'
is "$rc.$out" "0.1" "-i: a missing file is ignored, the program runs"
run "$BIN/envfile" -i "$T" true
is "$rc" 111 "-i: a directory is still an error (111)"
run "$BIN/envfile"; is "$rc" 100 "no arguments: usage, 100"
run "$BIN/envfile" "$F"; is "$rc" 100 "no program: usage, 100"
run "$BIN/envfile" -z "$F" true; is "$rc" 100 "unknown option: usage, 100"
run "$BIN/envfile" "$F" "$T/no-such-program"
is "$rc" 111 "failed exec: 111"
run "$BIN/envfile" "$F" sh -c 'exit 5'; is "$rc" 5 "exit code of the program is passed on"

# an edited .env takes effect at the next start (run is executed afresh)
printf 'PORT=1\n' > "$T/e.env"; a=$(var PORT "$T/e.env")
printf 'PORT=2\n' > "$T/e.env"; b=$(var PORT "$T/e.env")
is "$a$b" "[1][2]" "the file is read at each start"

done_testing
