h='mail.example.test'
for p in 25 587 465; do
  echo "== sendcheck $p tcp $h"
  nc -vz -w 5 "$h" "$p" 2>&1
done
echo "== sendcheck 25 starttls $h"
nc -z -w 5 "$h" 25 2>/dev/null && timeout 15 openssl s_client -starttls smtp -connect "$h:25" -servername "$h" </dev/null 2>&1
echo "== sendcheck 587 starttls $h"
nc -z -w 5 "$h" 587 2>/dev/null && timeout 15 openssl s_client -starttls smtp -connect "$h:587" -servername "$h" </dev/null 2>&1
echo "== sendcheck 465 tls $h"
nc -z -w 5 "$h" 465 2>/dev/null && timeout 15 openssl s_client -connect "$h:465" -servername "$h" </dev/null 2>&1
