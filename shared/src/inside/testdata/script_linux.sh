h='mail.example.test'
d=$(mktemp -d)
look() {
  p=$1 m=$2 s=
  [ "$m" = starttls ] && s=smtp
  echo "== sendcheck $p tcp $h"
  nc -vz -w 4 "$h" "$p" 2>&1 || return
  [ -n "$m" ] || return
  echo "== sendcheck $p $m $h"
  timeout 9 openssl s_client ${s:+-starttls} $s -connect "$h:$p" -servername "$h" -verify_hostname "$h" </dev/null 2>&1
  [ $? -lt 124 ] || echo "sendcheck $p $m time_limit: 9"
}
echo "sendcheck: waiting for 25 587 465 (at most 13 s)"
(look 25 starttls >"$d/25" & look 587 starttls >"$d/587" & look 465 tls >"$d/465" & wait)
cat "$d/25" "$d/587" "$d/465"
rm -rf "$d"
