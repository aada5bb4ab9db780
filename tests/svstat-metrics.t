#!/bin/sh
# svstat -m: Prometheus text format on a real supervise (values, labels,
# escaping), valid under promtool; doc/prometheus.md's alert rules and its
# textfile service.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svc-lib.sh"
plan 23

S=$T/s
mkservice "$S/web" 'sleep 100000 &
exec sleep 100001'
start_sup svkit "$S/web" || bail "supervise does not start"
wait_for 20000 is_field "$S/web" procs 2 || bail "web never had its 2 processes"
track_service "$S/web"
mkservice "$S/crash" 'exit 3'
touch "$S/crash/down"
start_sup svkit "$S/crash" || bail "supervise does not start"
"$BIN/svc" -o "$S/crash"
wait_for 20000 is_field "$S/crash" exitcode 3 || bail "crash never exited 3"
mkdir -p "$S/idle"
odd=$(printf '%s/a"b\\c\nd\377' "$S")
mkdir -p "$odd"

"$BIN/svstat" -m "$S/web" "$S/crash" "$S/idle" "$odd" > "$T/m" 2>"$T/err"
is "$?" 0 "exit 0"
sample() { grep "^$1{service=\"$2\",dir=\"$S/$2\"} " "$T/m" | sed -e 's/.*} //'; }
is "$(sample svkit_service_up web) $(sample svkit_service_up crash) $(sample svkit_service_up idle)" "1 0 0" "up: 1 for web, 0 for a stopped service and for a DIR without supervise"
is "$(sample svkit_supervise_running web) $(sample svkit_supervise_running idle)" "1 0" "supervise_running"
is "$(sample svkit_service_ready web) $(sample svkit_service_normally_up web) $(sample svkit_service_normally_up crash)" "1 1 0" "ready, normally_up"
is "$(sample svkit_service_wanted_up web) $(sample svkit_service_wanted_up crash)" "1 0" "wanted_up: 0 after svc -o"
is "$(sample svkit_service_processes web)" "$(field "$S/web" procs)" "processes: as -o procs"
is "$(sample svkit_service_starts_total web) $(sample svkit_service_starts_total crash)" "1 1" "starts_total"
is "$(sample svkit_service_last_exit_code crash)" 3 "last_exit_code of the stopped service"
is "$(sample svkit_service_last_exit_code web)" "" "no last_exit_code for a service that has not exited"
upsince=$(sample svkit_service_start_time_seconds web)
now=$(date +%s)
[ "$upsince" -le "$now" ] && [ "$upsince" -gt $((now - 600)) ]; ok $? "start_time_seconds: a Unix time in the last minutes ($upsince)"
rss=$(sample svkit_service_resident_memory_bytes web)
[ "$rss" -gt 0 ]; ok $? "resident_memory_bytes ($rss)"
sample svkit_service_cpu_seconds_total web | grep -Eqx '[0-9]+\.[0-9]{3}'; ok $? "cpu_seconds_total in seconds with 3 decimals"
is "$(grep -c '^# HELP ' "$T/m") $(grep -c '^# TYPE ' "$T/m")" "12 12" "a HELP and a TYPE line for each of the 12 metrics"
is "$(grep '^# TYPE' "$T/m" | awk '{ print $4 }' | sort | uniq -c | tr -s ' ' | tr '\n' ,)" " 2 counter, 10 gauge," "2 counters, 10 gauges"
# families are not interleaved: the metric names come in runs
is "$(grep -v '^#' "$T/m" | sed -e 's/{.*//' | uniq | sort | uniq -d)" "" "the samples of a metric are together"
grep -qF "svkit_service_up{service=\"a\\\"b\\\\c\\nd$(printf '\357\277\275')\",dir=\"$S/a\\\"b\\\\c\\nd$(printf '\357\277\275')\"} 0" "$T/m"
ok $? "labels: backslash, double quote and newline escaped, a byte that is not UTF-8 as U+FFFD"

if have promtool; then
  promtool check metrics < "$T/m" > "$T/pt" 2>&1; ok $? "promtool check metrics: valid $(tr '\n' ' ' < "$T/pt")"
else
  skip "promtool is not installed (Debian package prometheus)"
fi

"$BIN/svstat" -m "$S/web" "$S/nonexistent" > "$T/m2" 2>"$T/err"
is "$?" 111 "a DIR that cannot be read: exit 111"
is "$(grep -c nonexistent "$T/m2") $(grep "^svkit_service_up{service=\"nonexistent\"" "$T/m2" | sed -e 's/.*} //')" "1 0" "... reported as down, nothing else"
grep -q "^svstat: warning: $S/nonexistent: unable to stat directory" "$T/err"; ok $? "... the reason on stderr"

# doc/prometheus.md: the alert rules
DOC=$TESTS/../doc/prometheus.md
if have promtool; then
  sed -n '/^```yaml$/,/^```$/p' "$DOC" | sed -e '1d;$d' > "$T/rules.yml"
  promtool check rules "$T/rules.yml" > "$T/pt" 2>&1; ok $? "promtool check rules: the rules of doc/prometheus.md $(tr '\n' ' ' < "$T/pt")"
  cat > "$T/rules-test.yml" <<'EOF'
rule_files:
  - rules.yml
evaluation_interval: 15s
tests:
  - interval: 15s
    input_series:
      - series: 'svkit_service_up{instance="h",service="web",dir="/service/web"}'
        values: '1 1 0x40'
      - series: 'svkit_service_wanted_up{instance="h",service="web",dir="/service/web"}'
        values: '1x42'
      - series: 'svkit_service_up{instance="h",service="off",dir="/service/off"}'
        values: '0x42'
      - series: 'svkit_service_wanted_up{instance="h",service="off",dir="/service/off"}'
        values: '0x42'
      - series: 'svkit_service_starts_total{instance="h",service="crashy",dir="/service/crashy"}'
        values: '1+1x42'
      - series: 'svkit_service_starts_total{instance="h",service="flaky",dir="/service/flaky"}'
        values: '1 2 3 4 5 6 6x36'
      - series: 'svkit_service_starts_total{instance="h",service="web",dir="/service/web"}'
        values: '1x42'
    alert_rule_test:
      - eval_time: 1m
        alertname: SvkitServiceDown
        exp_alerts: []
      - eval_time: 2m
        alertname: SvkitServiceDown
        exp_alerts:
          - exp_labels: { severity: page, instance: h, service: web, dir: /service/web }
            exp_annotations: { summary: "web is down on h" }
      # 20 restarts since the first sample; increase() extrapolates to 21.x
      - eval_time: 5m
        alertname: SvkitServiceRestarting
        exp_alerts:
          - exp_labels: { severity: warning, instance: h, service: crashy, dir: /service/crashy }
            exp_annotations: { summary: "crashy restarted 21 times in 10 minutes on h" }
EOF
  (cd "$T" && promtool test rules rules-test.yml) > "$T/pt" 2>&1
  ok $? "promtool test rules: down 1 min fires (not for svc -d), more than 5 restarts in 10 min fires (not for 5) $(tr '\n' ' ' < "$T/pt")"
else
  skip "promtool is not installed"; skip "promtool is not installed"
fi

# doc/prometheus.md: the textfile service, run by supervise (paths moved into $T)
mkdir -p "$S/metrics" "$T/textfile"
sed -n '/^```sh$/,/^```$/p' "$DOC" | sed -e '1d;$d' \
  -e "s|/var/lib/prometheus/node-exporter|$T/textfile|; s|/service/\\*|$S/web $S/crash|" > "$S/metrics/run"
chmod 755 "$S/metrics/run"
PATH=$BIN:$PATH start_sup svkit "$S/metrics" || bail "supervise does not start"
track_service "$S/metrics"
wait_for 20000 test -s "$T/textfile/svkit.prom"
grep -q "^svkit_service_up{service=\"web\",dir=\"$S/web\"} 1$" "$T/textfile/svkit.prom"; ok $? "the textfile service writes svkit.prom"
"$BIN/svc" -dx "$S/metrics" "$S/web" "$S/crash"
