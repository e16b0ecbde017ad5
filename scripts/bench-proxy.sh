#!/usr/bin/env bash
# `./run bench proxy`: how fast the proxy passes calls through, against nginx doing the same job.
#
# Pass-through (GET /api/ticket_categories.php, `[catalog] ttl_secs = 0` so every call reaches the
# helpdesk), each with `wrk -t1 -c64 --latency` on loopback:
#   upstream direct   nginx answering a fixed ticket_categories.php body (the helpdesk stand-in)
#   nginx + token     nginx proxying to it, adding `Authorization: Bearer …` (keep-alive upstream)
#   helpdock serve    the release proxy in front of the same upstream
# Ownership path, against the reference helpdesk (SQLite) seeded with tickets for one email:
# tickets_list.php and ticket_view.php direct (token + user_email, the PHP API's own form) against
# the same through helpdock for a verified visitor (signed X-Helpdock-Identity).
# Prints req/s, p50, p99, the ratios, and helpdock's peak RSS (VmHWM). Figures only, never a gate.
# HELPDOCK_BENCH_SECS sets each run's length (default 10). The pass-through is measured in
# HELPDOCK_BENCH_ROUNDS rounds (default 3) of the three paths in turn, and each figure is the
# median of its rounds: on a shared 2-core machine one run of nginx alone moves by a fifth.
# Every server it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${HELPDOCK_BENCH_SECS:-10}
rounds=${HELPDOCK_BENCH_ROUNDS:-3}
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "bench-proxy: HELPDOCK_BENCH_ROUNDS must be a whole number of at least 1" >&2; exit 2; }
scripts/apt-install.sh nginx wrk
echo "==> building the proxy (cargo build --release -p helpdock)" >&2
cargo build -q --release --locked -p helpdock
bin=$PWD/target/release/helpdock

work=$(mktemp -d "${TMPDIR:-/tmp}/helpdock-bench.XXXXXX")
chmod 755 "$work" # nginx's workers may run as another user
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A loopback port nobody listens on (checked just before use; the servers fail loudly otherwise).
taken=" "
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768 on)
    [[ "$taken" == *" $port "* ]] && continue
    ss -Htln "sport = :$port" | grep -q . && continue
    taken+="$port "
    echo "$port"
    return
  done
}

# Waits until `curl ARGS…` answers 200, for at most 10 s.
wait_ok() {
  for _ in $(seq 100); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$@" || true)" == 200 ]] && return 0
    sleep 0.1
  done
  echo "bench-proxy: no 200 from $*; the servers' logs end:" >&2
  tail -n 5 "$work"/*.log "$work"/*/error.log >&2 2>/dev/null || true
  return 1
}

# Starts nginx with the server block in $2 as config $1 (its own prefix, pid and temp paths).
start_nginx() {
  local name=$1 server=$2 dir=$work/$1
  mkdir -p "$dir"
  chmod 755 "$dir"
  cat >"$dir/nginx.conf" <<NGINX
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  $server
}
NGINX
  nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' &
  pids+=($!)
}

# Runs wrk on URL with the Lua script $2 (may be empty) and prints "req/s p50_ms p99_ms".
# A run with any error or non-2xx answer stops the bench: it would measure the failure.
measure() {
  local url=$1 script=$2 out
  local args=(-t1 -c64 --latency)
  [[ -n "$script" ]] && args+=(-s "$script")
  wrk "${args[@]}" -d2s "$url" >/dev/null # warm-up: connections, pools, caches
  out=$(wrk "${args[@]}" -d"${secs}s" "$url")
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    echo "bench-proxy: errors while measuring $url:" >&2
    echo "$out" >&2
    return 1
  fi
  awk '
    function ms(v) {
      if (v ~ /us$/) return v / 1000
      if (v ~ /ms$/) return v + 0
      if (v ~ /s$/) return v * 1000
      return v
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    $1 == "Requests/sec:" { rps = $2 }
    END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }
  ' <<<"$out"
}

# Peak resident memory of PID in MB.
peak_rss() {
  awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

token=bench-token-$RANDOM$RANDOM
secret=bench-identity-secret-0123456789
email=ann@example.com

# (a) The helpdesk stand-in: a fixed ticket_categories.php answer, shaped like the PHP app's.
up_port=$(free_port)
categories='{"success":true,"categories":[{"id":3,"name":"Billing","icon":"credit-card"},{"id":1,"name":"General","icon":"help-circle"},{"id":4,"name":"Orders and shipping","icon":"truck"},{"id":2,"name":"Technical","icon":"wrench"}]}'
start_nginx upstream "
  access_log off;
  server {
    listen 127.0.0.1:$up_port;
    location = /api/ticket_categories.php {
      default_type application/json;
      return 200 '$categories';
    }
  }"

# (b) nginx adding the token, with a keep-alive pool to (a) as a production config would have.
ng_port=$(free_port)
start_nginx proxy "
  access_log $work/proxy/access.log;
  upstream helpdesk { server 127.0.0.1:$up_port; keepalive 64; }
  server {
    listen 127.0.0.1:$ng_port;
    location /api/ {
      proxy_pass http://helpdesk;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Authorization \"Bearer $token\";
    }
  }"

# (c) helpdock in front of (a), the catalog cache off. Its log goes to a file, as nginx's does.
write_config() { # FILE UPSTREAM_URL PORT
  cat >"$1" <<TOML
upstream_url = "$2"
upstream_token = "$token"
listen = "127.0.0.1:$3"
assets_dir = "$work/assets"
guest_pass_secret = "bench-guest-pass-secret-0123456789"

[[sites]]
id = "bench"
origins = ["http://shop.bench.test"]
identity_secret = "$secret"

[catalog]
ttl_secs = 0
TOML
}
mkdir -p "$work/assets"
hd_port=$(free_port)
write_config "$work/helpdock.toml" "http://127.0.0.1:$up_port/api/" "$hd_port"
"$bin" serve --config "$work/helpdock.toml" >/dev/null 2>"$work/helpdock.log" &
hd_pid=$!
pids+=("$hd_pid")

wait_ok "http://127.0.0.1:$up_port/api/ticket_categories.php"
wait_ok "http://127.0.0.1:$ng_port/api/ticket_categories.php"
wait_ok -H 'X-Helpdock-Site: bench' "http://127.0.0.1:$hd_port/api/ticket_categories.php"

cat >"$work/site.lua" <<'LUA'
wrk.headers["X-Helpdock-Site"] = "bench"
LUA

# A / B to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "==> pass-through: GET /api/ticket_categories.php, wrk -t1 -c64 -d${secs}s, $rounds rounds, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
up_runs=() ng_runs=() hd_runs=() round_ratios=()
for ((round = 1; round <= rounds; round++)); do
  up_runs+=("$(measure "http://127.0.0.1:$up_port/api/ticket_categories.php" "")")
  ng_runs+=("$(measure "http://127.0.0.1:$ng_port/api/ticket_categories.php" "")")
  hd_runs+=("$(measure "http://127.0.0.1:$hd_port/api/ticket_categories.php" "$work/site.lua")")
  round_ratios+=("$(ratio "${hd_runs[-1]%% *}" "${ng_runs[-1]%% *}")")
done
# The median of each column over the rounds ("req/s p50 p99" lines on stdin).
medians() {
  awk '{ for (i = 1; i <= 3; i++) v[i, NR] = $i }
    END {
      for (i = 1; i <= 3; i++) {
        for (a = 1; a <= NR; a++) col[a] = v[i, a]
        for (a = 2; a <= NR; a++) for (b = a; b > 1 && col[b - 1] + 0 > col[b] + 0; b--) {
          t = col[b]; col[b] = col[b - 1]; col[b - 1] = t
        }
        m = (NR % 2) ? col[(NR + 1) / 2] : (col[NR / 2] + col[NR / 2 + 1]) / 2
        printf (i == 1 ? "%.0f" : " %.2f"), m
      }
      print ""
    }'
}
read -r up_rps up_p50 up_p99 <<<"$(printf '%s\n' "${up_runs[@]}" | medians)"
read -r ng_rps ng_p50 ng_p99 <<<"$(printf '%s\n' "${ng_runs[@]}" | medians)"
read -r hd_rps hd_p50 hd_p99 <<<"$(printf '%s\n' "${hd_runs[@]}" | medians)"
hd_rss=$(peak_rss "$hd_pid")

# The ownership path: the reference helpdesk, tickets for one email, a second helpdock in front.
rh_port=$(free_port)
"$bin" reference-helpdesk --listen "127.0.0.1:$rh_port" --token "$token" >/dev/null 2>"$work/reference.log" &
pids+=($!)
wait_ok "http://127.0.0.1:$rh_port/api/ticket_categories.php"
ticket=""
for i in 1 2 3 4 5; do
  answer=$(curl -sf -H "Authorization: Bearer $token" \
    --data-urlencode "subject=Order $i has not arrived" \
    --data-urlencode "message=Ordered last week, tracking shows nothing since Monday. $i" \
    --data-urlencode "user_email=$email" \
    --data-urlencode "custom_fields={\"1\":\"ORD-100$i\",\"2\":\"Pro\"}" \
    "http://127.0.0.1:$rh_port/api/tickets_create.php")
  ticket=$(sed -n 's/.*"ticket_id":"\{0,1\}\([0-9]*\).*/\1/p' <<<"$answer")
  [[ -n "$ticket" ]] || break
  # A thread, not only its first message.
  curl -sf -o /dev/null -H "Authorization: Bearer $token" --data-urlencode "ticket_id=$ticket" \
    --data-urlencode "user_email=$email" --data-urlencode "message=Any news on this? ($i)" \
    "http://127.0.0.1:$rh_port/api/ticket_reply.php"
done
[[ -n "$ticket" ]] || { echo "bench-proxy: could not seed tickets: $answer" >&2; exit 1; }
ho_port=$(free_port)
write_config "$work/ownership.toml" "http://127.0.0.1:$rh_port/api/" "$ho_port"
"$bin" serve --config "$work/ownership.toml" >/dev/null 2>"$work/ownership.log" &
ho_pid=$!
pids+=("$ho_pid")
identity=$("$bin" sign "$email" --config "$work/ownership.toml" --expires-in 1d)

form_lua() { # FILE BODY: a POST of the PHP API's own form, with the token
  cat >"$1" <<LUA
wrk.method = "POST"
wrk.body = "$2"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
}
form_lua "$work/list.lua" "user_email=ann%40example.com"
form_lua "$work/view.lua" "ticket_id=$ticket&user_email=ann%40example.com"
cat >"$work/visitor.lua" <<LUA
wrk.headers["X-Helpdock-Site"] = "bench"
wrk.headers["X-Helpdock-Identity"] = "$identity"
LUA
wait_ok -H 'X-Helpdock-Site: bench' -H "X-Helpdock-Identity: $identity" \
  "http://127.0.0.1:$ho_port/api/tickets_list.php"

echo "==> ownership path: reference helpdesk (SQLite), 5 tickets of one verified visitor" >&2
m=$(measure "http://127.0.0.1:$rh_port/api/tickets_list.php" "$work/list.lua")
read -r ld_rps ld_p50 ld_p99 <<<"$m"
m=$(measure "http://127.0.0.1:$ho_port/api/tickets_list.php" "$work/visitor.lua")
read -r lh_rps lh_p50 lh_p99 <<<"$m"
m=$(measure "http://127.0.0.1:$rh_port/api/ticket_view.php" "$work/view.lua")
read -r vd_rps vd_p50 vd_p99 <<<"$m"
m=$(measure "http://127.0.0.1:$ho_port/api/ticket_view.php?ticket_id=$ticket" "$work/visitor.lua")
read -r vh_rps vh_p50 vh_p99 <<<"$m"
ho_rss=$(peak_rss "$ho_pid")

row() { printf '| %-29s | %9s | %9s | %9s | %9s |\n' "$@"; }
echo
echo "Pass-through, GET /api/ticket_categories.php, wrk -t1 -c64 -d${secs}s, release build, median of $rounds rounds"
row path req/s p50 p99 "peak RSS"
row ----------------------------- --------- --------- --------- ---------
row "upstream direct" "$up_rps" "$up_p50 ms" "$up_p99 ms" ""
row "nginx adding the Bearer token" "$ng_rps" "$ng_p50 ms" "$ng_p99 ms" ""
row "helpdock serve" "$hd_rps" "$hd_p50 ms" "$hd_p99 ms" "$hd_rss MB"
echo "helpdock / nginx: $(ratio "$hd_rps" "$ng_rps")x req/s (goal >= 1.00), p99 $(awk -v a="$hd_p99" -v b="$ng_p99" 'BEGIN { printf "%+.2f", a - b }') ms (goal <= +0.50); each round: ${round_ratios[*]}"
echo
echo "Ownership path, verified visitor, reference helpdesk (SQLite), same wrk settings"
row path req/s p50 p99 "peak RSS"
row ----------------------------- --------- --------- --------- ---------
row "tickets_list.php direct" "$ld_rps" "$ld_p50 ms" "$ld_p99 ms" ""
row "tickets_list.php helpdock" "$lh_rps" "$lh_p50 ms" "$lh_p99 ms" ""
row "ticket_view.php direct" "$vd_rps" "$vd_p50 ms" "$vd_p99 ms" ""
row "ticket_view.php helpdock" "$vh_rps" "$vh_p50 ms" "$vh_p99 ms" "$ho_rss MB"
echo "helpdock / direct: tickets_list.php $(ratio "$lh_rps" "$ld_rps")x, ticket_view.php $(ratio "$vh_rps" "$vd_rps")x req/s"
echo "peak RSS under load (goal <= 40 MB): pass-through $hd_rss MB, ownership $ho_rss MB; load $(cut -d' ' -f1-3 /proc/loadavg)"
