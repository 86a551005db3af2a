#!/usr/bin/env bash
# Checks a database seeded with `nccs seed --scale national` against the national figures of
# FY2025 and the rules of the placement flow (tests/unit/test_seed_apps.c checks the generator
# itself on a small scale; this checks what a real run stored).
#   scripts/check-national-seed.sh sqlite:PATH | postgresql://USER@HOST:PORT/DB
# Prints each figure with its expected value and exits 1 when one differs.
set -uo pipefail
url="${1:-}"
case "$url" in
  sqlite:*) run() { sqlite3 -batch -noheader "${url#sqlite:}" "$1"; } ;;
  postgresql://*) run() { psql -X -q -At "$url" -c "$1"; } ;;
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

echo "shares (information)"
run "SELECT '  states: ' || state || ' ' || COUNT(*) FROM applications GROUP BY state ORDER BY COUNT(*) DESC"
run "SELECT '  left within 6 months: ' || COALESCE(SUM(left_within_6m), 0) || ' of ' || COUNT(*) ||
     ' placements' FROM applications WHERE state IN $PLACED"
exit "$fail"
