#!/usr/bin/env bash
# Checks a database seeded with `nccs seed --scale national` against the national figures of
# FY2025 and the rules of the placement flow (tests/unit/test_seed_apps.c checks the generator
# itself on a small scale; this checks what a real run stored).
#   scripts/check-national-seed.sh sqlite:PATH | postgresql://USER@HOST:PORT/DB
# Prints each figure with its expected value and exits 1 when one differs. The notifications,
# consultations and tasks are those of src/cli/seed_notify.c (its header lists the figures).
set -uo pipefail
url="${1:-}"
case "$url" in
  sqlite:*) run() { sqlite3 -batch -noheader "${url#sqlite:}" "$1"; }
    jst() { echo "date($1 + 32400, 'unixepoch')"; } ;;
  postgresql://*) run() { psql -X -q -At "$url" -c "$1"; }
    jst() { echo "to_char(to_timestamp($1 + 32400) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"; } ;;
  *) echo "usage: $0 sqlite:PATH | postgresql://USER@HOST:PORT/DB" >&2; exit 2 ;;
esac

# FY2025 in Unix seconds: 2025-04-01 00:00 JST .. 2026-04-01 00:00 JST; "today" of the seed.
FY_START=1743433200
FY_END=1774969200
TODAY_END=1776265200 # 2026-04-16 00:00 JST
NATIONAL="u.email LIKE 'nurse_____@example.jp'"
PLACED="('placed', 'checked_1m', 'checked_3m', 'closed')"

fail=0
check() { # name, expected, SQL
  local got
  got=$(run "$3" | tr -d '[:space:]')
  if [ "$got" = "$2" ]; then
    printf '  ok    %-58s %s\n' "$1" "$got"
  else
    printf '  FAIL  %-58s %s (expected %s)\n' "$1" "$got" "$2"
    fail=1
  fi
}

echo "national figures (FY2025)"
check "national nurses with a seekers row" 67710 \
  "SELECT COUNT(*) FROM seekers s JOIN users u ON u.id = s.user_id WHERE $NATIONAL"
check "applications that reached placed (national nurses)" 10666 \
  "SELECT COUNT(*) FROM applications a JOIN users u ON u.id = a.seeker_user_id
   WHERE a.state IN $PLACED AND $NATIONAL"
check "distinct placed nurses" 10666 \
  "SELECT COUNT(DISTINCT a.seeker_user_id) FROM applications a JOIN users u
   ON u.id = a.seeker_user_id WHERE a.state IN $PLACED AND $NATIONAL"
check "distinct applicants, applications opened in FY2025" 18828 \
  "SELECT COUNT(DISTINCT seeker_user_id) FROM applications
   WHERE created_at >= $FY_START AND created_at < $FY_END"
check "national applications opened outside FY2025" 0 \
  "SELECT COUNT(*) FROM applications a JOIN users u ON u.id = a.seeker_user_id
   WHERE $NATIONAL AND (a.created_at < $FY_START OR a.created_at >= $FY_END)"
check "placements outside FY2025 (start date or place event)" 0 \
  "SELECT COUNT(*) FROM applications a JOIN users u ON u.id = a.seeker_user_id
   JOIN application_events e ON e.application_id = a.id AND e.action = 'place'
   WHERE $NATIONAL AND (a.start_date < '2025-04-01' OR a.start_date > '2026-03-31'
   OR e.at < $FY_START OR e.at >= $FY_END)"
check "national events after the seed's today (2026-04-15)" 0 \
  "SELECT COUNT(*) FROM application_events e JOIN applications a ON a.id = e.application_id
   JOIN users u ON u.id = a.seeker_user_id WHERE $NATIONAL AND e.at >= $TODAY_END"

echo "histories"
check "events whose from_state is not the previous to_state" 0 \
  "SELECT COUNT(*) FROM (SELECT from_state, LAG(to_state) OVER (PARTITION BY application_id
   ORDER BY id) AS prev FROM application_events) x
   WHERE (prev IS NULL AND from_state <> 'none') OR (prev IS NOT NULL AND prev <> from_state)"
check "events not later than the previous one of their case" 0 \
  "SELECT COUNT(*) FROM (SELECT at, LAG(at) OVER (PARTITION BY application_id ORDER BY id)
   AS prev FROM application_events) x WHERE prev IS NOT NULL AND at <= prev"
check "applications whose state is not their last event's" 0 \
  "SELECT COUNT(*) FROM applications a JOIN application_events e ON e.id =
   (SELECT MAX(id) FROM application_events WHERE application_id = a.id) WHERE e.to_state <> a.state"
check "nurse events by someone else than the applicant" 0 \
  "SELECT COUNT(*) FROM application_events e JOIN applications a ON a.id = e.application_id
   WHERE e.actor_kind = 'nurse' AND e.actor_user_id <> a.seeker_user_id"
check "facility events not by a login of the offer's facility" 0 \
  "SELECT COUNT(*) FROM application_events e JOIN applications a ON a.id = e.application_id
   JOIN users u ON u.id = e.actor_user_id WHERE e.actor_kind = 'facility'
   AND (u.facility_id <> a.facility_id OR u.role NOT IN ('facility_admin', 'facility_staff'))"
check "counselor events not by staff of the case's prefecture" 0 \
  "SELECT COUNT(*) FROM application_events e JOIN applications a ON a.id = e.application_id
   JOIN users u ON u.id = e.actor_user_id WHERE e.actor_kind = 'counselor'
   AND (u.prefecture_code <> a.prefecture_code OR u.role NOT IN ('counselor', 'center_admin'))"
check "central events not by central staff" 0 \
  "SELECT COUNT(*) FROM application_events e JOIN users u ON u.id = e.actor_user_id
   WHERE e.actor_kind = 'central' AND u.role <> 'central'"

echo "applications"
check "prefecture other than the seeker's center" 0 \
  "SELECT COUNT(*) FROM applications a JOIN seekers s ON s.user_id = a.seeker_user_id
   WHERE s.prefecture_code <> a.prefecture_code"
check "facility other than the offer's, or offer not published" 0 \
  "SELECT COUNT(*) FROM applications a JOIN offers o ON o.id = a.offer_id
   WHERE o.facility_id <> a.facility_id OR o.status <> 'published'"
check "is_open / closed_at not matching the state" 0 \
  "SELECT COUNT(*) FROM applications WHERE
   (CASE WHEN state IN ('closed', 'withdrawn', 'refused', 'rejected', 'declined', 'cancelled')
    THEN 0 ELSE 1 END) <> is_open OR (CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END) <> is_open"
check "referred cases without a PP-YYYY-NNNNNN number" 0 \
  "SELECT COUNT(*) FROM applications WHERE referred_at IS NOT NULL AND
   (referral_no IS NULL OR length(referral_no) <> 14 OR substr(referral_no, 1, 2) <> prefecture_code)"
check "placed cases without start date, form, permanence or due dates" 0 \
  "SELECT COUNT(*) FROM applications WHERE state IN $PLACED AND (start_date IS NULL OR
   employment_form IS NULL OR permanent IS NULL OR due_1m IS NULL OR due_3m IS NULL OR due_6m IS NULL)"
check "national checks due by 2026-04-15 not recorded" 0 \
  "SELECT COUNT(*) FROM applications a JOIN users u ON u.id = a.seeker_user_id WHERE $NATIONAL
   AND a.state IN ('placed', 'checked_1m', 'checked_3m') AND
   (CASE a.state WHEN 'placed' THEN a.due_1m WHEN 'checked_1m' THEN a.due_3m ELSE a.due_6m END)
   <= '2026-04-15'"
check "left without left_within_6m, or left_within_6m without a reason" 0 \
  "SELECT COUNT(*) FROM applications WHERE (left_date IS NOT NULL AND left_within_6m IS NULL)
   OR (left_within_6m = 1 AND left_date IS NULL)"
check "open cases of nurses whose registration is not active" 0 \
  "SELECT COUNT(*) FROM applications a JOIN seekers s ON s.user_id = a.seeker_user_id
   WHERE a.state IN ('requested', 'proposed', 'referred', 'interview', 'hired') AND s.status <> 'active'"
check "national applicants registered after their first application" 0 \
  "SELECT COUNT(*) FROM users u JOIN (SELECT seeker_user_id, MIN(created_at) AS c FROM applications
   GROUP BY seeker_user_id) f ON f.seeker_user_id = u.id WHERE $NATIONAL AND u.created_at >= f.c"

# Notifications (seed_notify.c): FY2021..FY2025 filings; national holders are the national
# nurses and the new accounts n<k>@{notify,center,proxy}.invalid (the demo's are dated from the
# real today and named otherwise).
FY21=1617202800 FY22=1648738800 FY23=1680274800 FY24=1711897200
MAR1=1772290800 # 2026-03-01 00:00 JST: the last month of notifications
NOTIF="n.filed_at >= $FY21 AND n.filed_at < $FY_END"
HOLDER="(u.email LIKE 'nurse_____@example.jp' OR u.email LIKE 'n%@notify.invalid'
  OR u.email LIKE 'n%@center.invalid' OR u.email LIKE 'n%@proxy.invalid')"
NEWHOLDER="(u.email LIKE 'n%@notify.invalid' OR u.email LIKE 'n%@center.invalid'
  OR u.email LIKE 'n%@proxy.invalid')"
has_words() { # column: SQL that is true when it contains a sensitive word
  local w out=""
  for w in 診断 通院 服薬 服用 心療内科 うつ 不安障害 パニック 睡眠薬 主治医; do
    out="$out${out:+ OR }$1 LIKE '%$w%'"
  done
  echo "($out)"
}

echo "notifications (FY2021-FY2025)"
check "notifications filed in FY2021-FY2025" 150000 \
  "SELECT COUNT(*) FROM notifications n WHERE $NOTIF"
check "of national holders" 150000 \
  "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE $NOTIF AND $HOLDER"
check "FY2021 / FY2022 / FY2023 / FY2024 / FY2025" "27600/29100/30300/31200/31800" \
  "SELECT SUM(CASE WHEN filed_at < $FY22 THEN 1 ELSE 0 END) || '/' ||
   SUM(CASE WHEN filed_at >= $FY22 AND filed_at < $FY23 THEN 1 ELSE 0 END) || '/' ||
   SUM(CASE WHEN filed_at >= $FY23 AND filed_at < $FY24 THEN 1 ELSE 0 END) || '/' ||
   SUM(CASE WHEN filed_at >= $FY24 AND filed_at < $FY_START THEN 1 ELSE 0 END) || '/' ||
   SUM(CASE WHEN filed_at >= $FY_START THEN 1 ELSE 0 END) FROM notifications n WHERE $NOTIF"
check "years whose April and March are not each over 1.5x a twelfth" 0 \
  "SELECT COUNT(*) FROM (SELECT fy, SUM(c) AS total, SUM(CASE WHEN m IN ('03', '04') THEN c ELSE 0 END)
   AS peak, SUM(CASE WHEN m = '03' THEN c ELSE 0 END) AS mar, SUM(CASE WHEN m = '04' THEN c ELSE 0 END)
   AS apr FROM (SELECT CAST(substr($(jst n.filed_at), 1, 4) AS INTEGER) - CASE WHEN substr($(jst n.filed_at), 6, 2)
   < '04' THEN 1 ELSE 0 END AS fy, substr($(jst n.filed_at), 6, 2) AS m, COUNT(*) AS c FROM notifications n
   WHERE $NOTIF GROUP BY 1, 2) x GROUP BY fy) y WHERE mar * 12 * 2 < total * 3 OR apr * 12 * 2 < total * 3"
check "share of national nurses' own accounts within 13-17 %" 1 \
  "SELECT CASE WHEN 100 * SUM(CASE WHEN u.email LIKE 'nurse_____@example.jp' THEN 1 ELSE 0 END)
   BETWEEN 13 * COUNT(*) AND 17 * COUNT(*) THEN 1 ELSE 0 END FROM notifications n
   JOIN users u ON u.id = n.user_id WHERE $NOTIF"
check "channels pc/smartphone/center/proxy within 2 points of 45/35/8/12 %" 1 \
  "SELECT CASE WHEN ABS(100 * SUM(CASE WHEN channel = 'pc' THEN 1 ELSE 0 END) - 45 * COUNT(*)) <= 2 * COUNT(*)
   AND ABS(100 * SUM(CASE WHEN channel = 'smartphone' THEN 1 ELSE 0 END) - 35 * COUNT(*)) <= 2 * COUNT(*)
   AND ABS(100 * SUM(CASE WHEN channel = 'center' THEN 1 ELSE 0 END) - 8 * COUNT(*)) <= 2 * COUNT(*)
   AND ABS(100 * SUM(CASE WHEN channel = 'proxy' THEN 1 ELSE 0 END) - 12 * COUNT(*)) <= 2 * COUNT(*)
   THEN 1 ELSE 0 END FROM notifications n WHERE $NOTIF"
check "holders that are not seeker accounts" 0 \
  "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE $NOTIF AND u.role <> 'seeker'"
check "new holder accounts with a password or e-mail outside .invalid" 0 \
  "SELECT COUNT(*) FROM users u WHERE $NEWHOLDER AND (u.password_hash IS NOT NULL
   OR u.email NOT LIKE '%.invalid')"
check "new holders without licences, or a licence number used twice" "0/0" \
  "SELECT (SELECT COUNT(*) FROM users u WHERE $NEWHOLDER AND NOT EXISTS (SELECT 1 FROM licences l
   WHERE l.user_id = u.id)) || '/' || (SELECT COUNT(*) FROM (SELECT l.type, l.number FROM licences l
   JOIN users u ON u.id = l.user_id WHERE $NEWHOLDER GROUP BY l.type, l.number HAVING COUNT(*) > 1) x)"
check "holder accounts created after their first filing" 0 \
  "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE $NOTIF AND u.created_at > n.filed_at"
check "event_date not before the filing day (JST)" 0 \
  "SELECT COUNT(*) FROM notifications n WHERE $NOTIF AND n.event_date >= $(jst n.filed_at)"
check "proxy filings without a facility of the prefecture; others with one" 0 \
  "SELECT COUNT(*) FROM notifications n LEFT JOIN facilities f ON f.id = n.facility_id WHERE $NOTIF AND
   (CASE WHEN n.channel = 'proxy' THEN (f.id IS NULL OR f.prefecture_code <> n.prefecture_code)
    ELSE n.facility_id IS NOT NULL END)"
check "pending filings before 2026-03; pending paper filings" 0 \
  "SELECT COUNT(*) FROM notifications n WHERE $NOTIF AND n.status = 'pending_confirmation'
   AND (n.filed_at < $MAR1 OR n.channel = 'center' OR n.confirmed_at IS NOT NULL)"
check "active without confirmation; paper consent not by the prefecture's staff" 0 \
  "SELECT COUNT(*) FROM notifications n LEFT JOIN users s ON s.id = n.confirmed_by WHERE $NOTIF
   AND n.status = 'active' AND (n.confirmed_at IS NULL OR n.confirmed_at < n.filed_at
   OR n.confirmed_how IS NULL OR (n.confirmed_how = 'paper' AND (s.prefecture_code <> n.prefecture_code
   OR s.role NOT IN ('counselor', 'center_admin'))))"
check "notifications whose version is not their number of versions rows" 0 \
  "SELECT COUNT(*) FROM notifications n WHERE $NOTIF AND n.version <> (SELECT COUNT(*)
   FROM notification_versions v WHERE v.notification_id = n.id)"
check "changed (version 2) within 2.5-3.5 %" 1 \
  "SELECT CASE WHEN 1000 * SUM(CASE WHEN version = 2 THEN 1 ELSE 0 END) BETWEEN 25 * COUNT(*)
   AND 35 * COUNT(*) THEN 1 ELSE 0 END FROM notifications n WHERE $NOTIF"
check "body of the last version differs from notifications.body" 0 \
  "SELECT COUNT(*) FROM notifications n JOIN notification_versions v ON v.notification_id = n.id
   AND v.version = n.version WHERE $NOTIF AND v.body <> n.body"

echo "notification tasks (today 2026-04-15)"
check "active notifications without exactly one notification task" 0 \
  "SELECT COUNT(*) FROM notifications n LEFT JOIN (SELECT notification_id, COUNT(*) AS c FROM tasks
   WHERE kind = 'notification' GROUP BY notification_id) t ON t.notification_id = n.id
   WHERE $NOTIF AND n.status = 'active' AND COALESCE(t.c, 0) <> 1"
check "tasks of pending notifications" 0 \
  "SELECT COUNT(*) FROM tasks t JOIN notifications n ON n.id = t.notification_id
   WHERE $NOTIF AND n.status <> 'active'"
check "open tasks of filings before 2026-03; done ones of 2026-03" "0/0" \
  "SELECT SUM(CASE WHEN t.status = 'open' AND n.filed_at < $MAR1 THEN 1 ELSE 0 END) || '/' ||
   SUM(CASE WHEN t.status = 'done' AND n.filed_at >= $MAR1 THEN 1 ELSE 0 END) FROM tasks t
   JOIN notifications n ON n.id = t.notification_id WHERE $NOTIF"
check "open notification tasks of March 2026 (information: > 0)" 1 \
  "SELECT CASE WHEN COUNT(*) > 0 THEN 1 ELSE 0 END FROM tasks t JOIN notifications n
   ON n.id = t.notification_id WHERE $NOTIF AND t.status = 'open'"
check "tasks of another prefecture or person than the notification's" 0 \
  "SELECT COUNT(*) FROM tasks t JOIN notifications n ON n.id = t.notification_id WHERE $NOTIF
   AND (t.prefecture_code <> n.prefecture_code OR t.user_id <> n.user_id)"
check "due dates not after the activation day" 0 \
  "SELECT COUNT(*) FROM tasks t JOIN notifications n ON n.id = t.notification_id
   WHERE $NOTIF AND t.due_on <= $(jst n.confirmed_at)"
check "done tasks without outcome, before creation, after today, or by others" 0 \
  "SELECT COUNT(*) FROM tasks t JOIN notifications n ON n.id = t.notification_id
   LEFT JOIN users s ON s.id = t.done_by WHERE $NOTIF AND t.status = 'done' AND (t.outcome IS NULL
   OR t.done_at < t.created_at OR t.done_at >= $TODAY_END OR s.prefecture_code <> t.prefecture_code
   OR s.role NOT IN ('counselor', 'center_admin'))"

echo "consultations (FY2025)"
CONS="c.consulted_on BETWEEN '2025-04-01' AND '2026-03-31'"
check "consultations in FY2025" 40000 \
  "SELECT COUNT(*) FROM consultations c WHERE $CONS"
check "mental_health within 4-6 %" 1 \
  "SELECT CASE WHEN 100 * SUM(CASE WHEN category = 'mental_health' THEN 1 ELSE 0 END)
   BETWEEN 4 * COUNT(*) AND 6 * COUNT(*) THEN 1 ELSE 0 END FROM consultations c WHERE $CONS"
check "mental_health without a sensitive note, notes on other categories" 0 \
  "SELECT COUNT(*) FROM consultations c LEFT JOIN consultation_sensitive s ON s.consultation_id = c.id
   WHERE (CASE WHEN c.category = 'mental_health' THEN 1 ELSE 0 END) <> c.has_sensitive
   OR (CASE WHEN s.consultation_id IS NULL THEN 0 ELSE 1 END) <> c.has_sensitive"
check "sensitive notes written without the mental_health grant" 0 \
  "SELECT COUNT(*) FROM consultation_sensitive s WHERE NOT EXISTS (SELECT 1 FROM staff_grants g
   WHERE g.user_id = s.written_by AND g.grant_name = 'mental_health')"
check "mental-health wording outside consultation_sensitive" 0 \
  "SELECT (SELECT COUNT(*) FROM consultations c WHERE $(has_words c.summary)
   OR $(has_words "COALESCE(c.follow_up_note, '')"))
   + (SELECT COUNT(*) FROM tasks t WHERE $(has_words "COALESCE(t.note, '')"))"
check "counselor, client or facility outside the consultation's prefecture" 0 \
  "SELECT COUNT(*) FROM consultations c JOIN users s ON s.id = c.counselor_id
   LEFT JOIN users u ON u.id = c.user_id LEFT JOIN facilities f ON f.id = c.facility_id
   WHERE $CONS AND (s.prefecture_code <> c.prefecture_code OR s.role <> 'counselor'
   OR u.prefecture_code <> c.prefecture_code OR f.prefecture_code <> c.prefecture_code)"
check "client fields not matching client_kind" 0 \
  "SELECT COUNT(*) FROM consultations c WHERE $CONS AND NOT (
   (c.client_kind = 'nurse' AND c.user_id IS NOT NULL AND c.facility_id IS NULL AND c.client_name IS NULL)
   OR (c.client_kind = 'facility' AND c.user_id IS NULL AND c.facility_id IS NOT NULL)
   OR (c.client_kind = 'other' AND c.user_id IS NULL AND c.facility_id IS NULL AND c.client_name IS NOT NULL))
   OR (c.channel = 'outreach') <> (c.outreach_place IS NOT NULL)"
check "consultations before the nurse's account existed" 0 \
  "SELECT COUNT(*) FROM consultations c JOIN users u ON u.id = c.user_id WHERE $CONS AND u.created_at > c.created_at"
check "follow-ups without their task" 0 \
  "SELECT COUNT(*) FROM consultations c LEFT JOIN (SELECT consultation_id, MIN(due_on) AS due
   FROM tasks WHERE kind = 'follow_up' GROUP BY consultation_id) t ON t.consultation_id = c.id
   WHERE $CONS AND c.follow_up_on IS NOT NULL AND (t.due IS NULL OR t.due <> c.follow_up_on)"
check "prefectures without a counselor" 0 \
  "SELECT COUNT(*) FROM prefectures p WHERE NOT EXISTS (SELECT 1 FROM users u
   WHERE u.role = 'counselor' AND u.prefecture_code = p.code)"

echo "shares (information)"
run "SELECT '  states: ' || state || ' ' || COUNT(*) FROM applications GROUP BY state ORDER BY COUNT(*) DESC"
run "SELECT '  left within 6 months: ' || COALESCE(SUM(left_within_6m), 0) || ' of ' || COUNT(*) ||
     ' placements' FROM applications WHERE state IN $PLACED"
run "SELECT '  notification channels: ' || channel || ' ' || COUNT(*) FROM notifications n WHERE $NOTIF
     GROUP BY channel ORDER BY COUNT(*) DESC"
run "SELECT '  consultation categories: ' || category || ' ' || COUNT(*) FROM consultations c WHERE $CONS
     GROUP BY category ORDER BY COUNT(*) DESC"
run "SELECT '  tasks: ' || kind || ' ' || status || ' ' || COUNT(*) FROM tasks GROUP BY kind, status ORDER BY kind, status"
exit "$fail"
