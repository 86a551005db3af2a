/* Unit tests for src/domain/placement: the transition table against an independent expectation
 * list, actors, required input, reason lists, labels, error messages and retention dates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/placement.h"

#include <stdio.h>
#include <string.h>

#define NU PL_ACTOR_NURSE
#define FA PL_ACTOR_FACILITY
#define CO PL_ACTOR_COUNSELOR
#define CE PL_ACTOR_CENTRAL

/* The expected table, written out again independently of src/domain/placement.c. */
static const struct {
    placement_state from;
    placement_action act;
    placement_state to;
    unsigned actors;
} EXPECT[] = {
    {PL_ST_NONE, PL_ACT_REQUEST, PL_ST_REQUESTED, NU},
    {PL_ST_NONE, PL_ACT_PROPOSE, PL_ST_PROPOSED, CO},
    {PL_ST_REQUESTED, PL_ACT_REFER, PL_ST_REFERRED, CO},
    {PL_ST_REQUESTED, PL_ACT_REFUSE, PL_ST_REFUSED, CO},
    {PL_ST_REQUESTED, PL_ACT_WITHDRAW, PL_ST_WITHDRAWN, NU},
    {PL_ST_REQUESTED, PL_ACT_CANCEL, PL_ST_CANCELLED, CO | CE},
    {PL_ST_PROPOSED, PL_ACT_ACCEPT, PL_ST_REQUESTED, NU},
    {PL_ST_PROPOSED, PL_ACT_WITHDRAW, PL_ST_WITHDRAWN, NU},
    {PL_ST_PROPOSED, PL_ACT_CANCEL, PL_ST_CANCELLED, CO | CE},
    {PL_ST_REFERRED, PL_ACT_SCHEDULE, PL_ST_INTERVIEW, FA | CO},
    {PL_ST_REFERRED, PL_ACT_HIRE, PL_ST_HIRED, FA | CO},
    {PL_ST_REFERRED, PL_ACT_REJECT, PL_ST_REJECTED, FA | CO},
    {PL_ST_REFERRED, PL_ACT_DECLINE, PL_ST_DECLINED, NU | CO},
    {PL_ST_REFERRED, PL_ACT_CANCEL, PL_ST_CANCELLED, CO | CE},
    {PL_ST_INTERVIEW, PL_ACT_SCHEDULE, PL_ST_INTERVIEW, FA | CO},
    {PL_ST_INTERVIEW, PL_ACT_HIRE, PL_ST_HIRED, FA | CO},
    {PL_ST_INTERVIEW, PL_ACT_REJECT, PL_ST_REJECTED, FA | CO},
    {PL_ST_INTERVIEW, PL_ACT_DECLINE, PL_ST_DECLINED, NU | CO},
    {PL_ST_INTERVIEW, PL_ACT_CANCEL, PL_ST_CANCELLED, CO | CE},
    {PL_ST_HIRED, PL_ACT_PLACE, PL_ST_PLACED, FA | CO},
    {PL_ST_HIRED, PL_ACT_DECLINE, PL_ST_DECLINED, NU | CO},
    {PL_ST_HIRED, PL_ACT_CANCEL, PL_ST_CANCELLED, CO | CE},
    {PL_ST_PLACED, PL_ACT_CHECK_1M, PL_ST_CHECKED_1M, CO},
    {PL_ST_CHECKED_1M, PL_ACT_CHECK_3M, PL_ST_CHECKED_3M, CO},
    {PL_ST_CHECKED_3M, PL_ACT_CHECK_6M, PL_ST_CLOSED, CO},
};
#define NEXPECT (sizeof EXPECT / sizeof EXPECT[0])

static const placement_actor ACTORS[] = {NU, FA, CO, CE};
#define NACTORS (sizeof ACTORS / sizeof ACTORS[0])

static int expect_index(placement_state s, placement_action a)
{
    for (size_t i = 0; i < NEXPECT; i++)
        if (EXPECT[i].from == s && EXPECT[i].act == a)
            return (int)i;
    return -1;
}

/* A complete input for action a (the placement started on 2026-04-01, today is 2026-12-31). */
static placement_input full_input(placement_action a)
{
    placement_input in;
    placement_input_init(&in);
    switch (a) {
    case PL_ACT_REFUSE:
    case PL_ACT_CANCEL:
        in.note = "求人条件に合わないため";
        break;
    case PL_ACT_REJECT:
        in.reason_code = "experience";
        break;
    case PL_ACT_DECLINE:
        in.reason_code = "wage";
        break;
    case PL_ACT_SCHEDULE:
        in.interview_date = "2026-03-10";
        break;
    case PL_ACT_PLACE:
        in.start_date = "2026-04-01";
        in.employment_form = OFFER_EMP_JOKIN;
        in.permanent = OFFER_YES;
        break;
    case PL_ACT_CHECK_1M:
    case PL_ACT_CHECK_3M:
    case PL_ACT_CHECK_6M:
        in.start_date = "2026-04-01";
        in.today = "2026-12-31";
        in.result = PL_CHECK_STILL_EMPLOYED;
        break;
    default:
        break;
    }
    return in;
}

/* Applies and checks status and error code; returns the new state (or from on error). */
static placement_state apply_ok(placement_state from, placement_action a, placement_actor who,
                                const placement_input *in)
{
    placement_state to = PL_ST__COUNT;
    const char *err = "unset";
    placement_status st = placement_apply(from, a, who, in, &to, &err);
    if (st != PL_OK)
        fail_msg("%s --%s(%s)--> failed: %d %s", placement_state_name(from),
                 placement_action_name(a), placement_actor_name(who), st, err ? err : "(null)");
    assert_null(err);
    return to;
}

static void expect_err(placement_state from, placement_action a, placement_actor who,
                       const placement_input *in, placement_status want, const char *code)
{
    placement_state to = PL_ST__COUNT;
    const char *err = NULL;
    placement_status st = placement_apply(from, a, who, in, &to, &err);
    if (st != want || !err || strcmp(err, code) != 0)
        fail_msg("%s --%s(%s)-->: got %d %s, want %d %s", placement_state_name(from),
                 placement_action_name(a), placement_actor_name(who), st, err ? err : "(null)",
                 want, code);
    assert_int_equal(to, PL_ST__COUNT); /* untouched */
}

/* ---- The table -------------------------------------------------------------------------- */

static void test_every_pair(void **state)
{
    (void)state;
    int allowed_pairs = 0;
    for (int s = 0; s < PL_ST__COUNT; s++) {
        for (int a = 0; a < PL_ACT__COUNT; a++) {
            int k = expect_index((placement_state)s, (placement_action)a);
            placement_input in = full_input((placement_action)a);
            placement_state to = PL_ST__COUNT;
            unsigned got_actors = placement_allowed((placement_state)s, (placement_action)a, &to);
            if (k < 0) {
                if (got_actors != 0)
                    fail_msg("%s/%s should not be in the table", placement_state_name(s),
                             placement_action_name(a));
                assert_int_equal(to, PL_ST__COUNT);
                for (size_t r = 0; r < NACTORS; r++)
                    expect_err(s, a, ACTORS[r], &in, PL_E_TRANSITION, "placement.bad_transition");
                expect_err(s, a, PL_ACTOR_NONE, &in, PL_E_TRANSITION, "placement.bad_transition");
                expect_err(s, a, CO, NULL, PL_E_TRANSITION, "placement.bad_transition");
                continue;
            }
            allowed_pairs++;
            if (got_actors != EXPECT[k].actors || to != EXPECT[k].to)
                fail_msg("%s/%s: actors %u to %d, want %u %d", placement_state_name(s),
                         placement_action_name(a), got_actors, to, EXPECT[k].actors, EXPECT[k].to);
            for (size_t r = 0; r < NACTORS; r++) {
                if (EXPECT[k].actors & (unsigned)ACTORS[r])
                    assert_int_equal(apply_ok(s, a, ACTORS[r], &in), EXPECT[k].to);
                else
                    expect_err(s, a, ACTORS[r], &in, PL_E_FORBIDDEN, "placement.forbidden");
            }
            /* no actor, several actors at once, an unknown bit */
            expect_err(s, a, PL_ACTOR_NONE, &in, PL_E_FORBIDDEN, "placement.forbidden");
            expect_err(s, a, (placement_actor)(NU | CO), &in, PL_E_FORBIDDEN,
                       "placement.forbidden");
            expect_err(s, a, (placement_actor)(1 << 7), &in, PL_E_FORBIDDEN, "placement.forbidden");
        }
    }
    assert_int_equal(allowed_pairs, (int)NEXPECT);
}

static void test_out_of_range(void **state)
{
    (void)state;
    placement_input in;
    placement_input_init(&in);
    expect_err(PL_ST__COUNT, PL_ACT_REQUEST, NU, &in, PL_E_TRANSITION, "placement.bad_transition");
    expect_err((placement_state)-1, PL_ACT_REQUEST, NU, &in, PL_E_TRANSITION,
               "placement.bad_transition");
    expect_err(PL_ST_NONE, PL_ACT__COUNT, NU, &in, PL_E_TRANSITION, "placement.bad_transition");
    expect_err(PL_ST_NONE, (placement_action)99, NU, &in, PL_E_TRANSITION,
               "placement.bad_transition");
    assert_int_equal(placement_allowed(PL_ST__COUNT, PL_ACT_REQUEST, NULL), 0);
    assert_int_equal(placement_allowed(PL_ST_NONE, PL_ACT_REQUEST, NULL), NU);
}

static void test_terminal_states(void **state)
{
    (void)state;
    const placement_state terminal[] = {PL_ST_CLOSED,   PL_ST_WITHDRAWN, PL_ST_REFUSED,
                                        PL_ST_REJECTED, PL_ST_DECLINED,  PL_ST_CANCELLED};
    for (int s = 0; s < PL_ST__COUNT; s++) {
        bool want = false;
        for (size_t i = 0; i < sizeof terminal / sizeof terminal[0]; i++)
            if ((int)terminal[i] == s)
                want = true;
        assert_int_equal(placement_state_is_terminal(s), want);
        /* terminal ⇔ no row leaves the state */
        bool leaves = false;
        for (int a = 0; a < PL_ACT__COUNT; a++)
            if (placement_allowed(s, a, NULL))
                leaves = true;
        assert_int_equal(leaves, !want);
    }
}

static void test_happy_paths(void **state)
{
    (void)state;
    placement_input in;
    placement_state s = PL_ST_NONE;
    s = apply_ok(s, PL_ACT_REQUEST, NU, NULL);
    assert_int_equal(s, PL_ST_REQUESTED);
    s = apply_ok(s, PL_ACT_REFER, CO, NULL);
    assert_int_equal(s, PL_ST_REFERRED);
    in = full_input(PL_ACT_SCHEDULE);
    s = apply_ok(s, PL_ACT_SCHEDULE, FA, &in);
    assert_int_equal(s, PL_ST_INTERVIEW);
    in.interview_date = "2026-03-12"; /* reschedule */
    s = apply_ok(s, PL_ACT_SCHEDULE, CO, &in);
    assert_int_equal(s, PL_ST_INTERVIEW);
    s = apply_ok(s, PL_ACT_HIRE, FA, NULL);
    assert_int_equal(s, PL_ST_HIRED);
    in = full_input(PL_ACT_PLACE);
    in.employment_form = OFFER_EMP_HIJOKIN;
    in.permanent = OFFER_NO;
    s = apply_ok(s, PL_ACT_PLACE, CO, &in);
    assert_int_equal(s, PL_ST_PLACED);
    in = full_input(PL_ACT_CHECK_1M);
    in.today = "2026-05-01";
    s = apply_ok(s, PL_ACT_CHECK_1M, CO, &in);
    assert_int_equal(s, PL_ST_CHECKED_1M);
    in.today = "2026-07-01";
    in.result = PL_CHECK_UNREACHABLE;
    s = apply_ok(s, PL_ACT_CHECK_3M, CO, &in);
    assert_int_equal(s, PL_ST_CHECKED_3M);
    in.today = "2026-10-01";
    in.result = PL_CHECK_STILL_EMPLOYED;
    s = apply_ok(s, PL_ACT_CHECK_6M, CO, &in);
    assert_int_equal(s, PL_ST_CLOSED);

    /* proposal path: the nurse's consent makes it a request the counselor then refers */
    s = apply_ok(PL_ST_NONE, PL_ACT_PROPOSE, CO, NULL);
    assert_int_equal(s, PL_ST_PROPOSED);
    s = apply_ok(s, PL_ACT_ACCEPT, NU, NULL);
    assert_int_equal(s, PL_ST_REQUESTED);
    assert_int_equal(apply_ok(s, PL_ACT_REFER, CO, NULL), PL_ST_REFERRED);
    /* declining a proposal */
    assert_int_equal(apply_ok(PL_ST_PROPOSED, PL_ACT_WITHDRAW, NU, NULL), PL_ST_WITHDRAWN);
    /* a decision straight after referral, without a recorded interview */
    assert_int_equal(apply_ok(PL_ST_REFERRED, PL_ACT_HIRE, CO, NULL), PL_ST_HIRED);
}

static void test_check_left_closes(void **state)
{
    (void)state;
    const struct {
        placement_state from;
        placement_action act;
        placement_state normal;
    } rows[] = {{PL_ST_PLACED, PL_ACT_CHECK_1M, PL_ST_CHECKED_1M},
                {PL_ST_CHECKED_1M, PL_ACT_CHECK_3M, PL_ST_CHECKED_3M},
                {PL_ST_CHECKED_3M, PL_ACT_CHECK_6M, PL_ST_CLOSED}};
    for (size_t i = 0; i < 3; i++) {
        placement_input in = full_input(rows[i].act);
        in.result = PL_CHECK_LEFT;
        in.left_date = "2026-06-15";
        assert_int_equal(apply_ok(rows[i].from, rows[i].act, CO, &in), PL_ST_CLOSED);
        /* leaving may be recorded before the check is due */
        in.today = "2026-04-20";
        in.left_date = "2026-04-20";
        assert_int_equal(apply_ok(rows[i].from, rows[i].act, CO, &in), PL_ST_CLOSED);
        in.left_date = "2026-04-01"; /* left on the first day */
        assert_int_equal(apply_ok(rows[i].from, rows[i].act, CO, &in), PL_ST_CLOSED);
        in.result = PL_CHECK_UNREACHABLE;
        in.today = "2027-01-01";
        assert_int_equal(apply_ok(rows[i].from, rows[i].act, CO, &in), rows[i].normal);
        in.result = PL_CHECK_STILL_EMPLOYED;
        assert_int_equal(apply_ok(rows[i].from, rows[i].act, CO, &in), rows[i].normal);
    }
    /* the result of a non-check action never changes its next state */
    placement_input in = full_input(PL_ACT_PLACE);
    in.result = PL_CHECK_LEFT;
    assert_int_equal(apply_ok(PL_ST_HIRED, PL_ACT_PLACE, FA, &in), PL_ST_PLACED);
}

/* ---- Required input ---------------------------------------------------------------------- */

static void test_required_input(void **state)
{
    (void)state;
    placement_input in;

    /* refuse and cancel need a note; blank notes do not count */
    const char *blanks[] = {NULL, "", "   ", "\t\r\n", "\xE3\x80\x80 \xE3\x80\x80"};
    for (size_t i = 0; i < sizeof blanks / sizeof blanks[0]; i++) {
        placement_input_init(&in);
        in.note = blanks[i];
        expect_err(PL_ST_REQUESTED, PL_ACT_REFUSE, CO, &in, PL_E_INVALID,
                   "placement.note_required");
        expect_err(PL_ST_HIRED, PL_ACT_CANCEL, CE, &in, PL_E_INVALID, "placement.note_required");
    }
    expect_err(PL_ST_REQUESTED, PL_ACT_REFUSE, CO, NULL, PL_E_INVALID, "placement.note_required");

    /* reject / decline need a reason from their own list */
    placement_input_init(&in);
    expect_err(PL_ST_INTERVIEW, PL_ACT_REJECT, FA, &in, PL_E_INVALID, "placement.reason_required");
    expect_err(PL_ST_REFERRED, PL_ACT_DECLINE, NU, NULL, PL_E_INVALID, "placement.reason_required");
    in.reason_code = " ";
    expect_err(PL_ST_INTERVIEW, PL_ACT_REJECT, FA, &in, PL_E_INVALID, "placement.reason_required");
    in.reason_code = "wage"; /* a 辞退 reason is no 不採用 reason */
    expect_err(PL_ST_INTERVIEW, PL_ACT_REJECT, FA, &in, PL_E_INVALID, "placement.reason_invalid");
    in.reason_code = "experience"; /* and the other way round */
    expect_err(PL_ST_HIRED, PL_ACT_DECLINE, NU, &in, PL_E_INVALID, "placement.reason_invalid");
    in.reason_code = "EXPERIENCE";
    expect_err(PL_ST_INTERVIEW, PL_ACT_REJECT, FA, &in, PL_E_INVALID, "placement.reason_invalid");
    in.reason_code = "other";
    expect_err(PL_ST_INTERVIEW, PL_ACT_REJECT, FA, &in, PL_E_INVALID, "placement.note_required");
    expect_err(PL_ST_HIRED, PL_ACT_DECLINE, NU, &in, PL_E_INVALID, "placement.note_required");
    in.note = "\xE3\x80\x80";
    expect_err(PL_ST_HIRED, PL_ACT_DECLINE, NU, &in, PL_E_INVALID, "placement.note_required");
    in.note = "夜勤の回数について合意できなかった";
    assert_int_equal(apply_ok(PL_ST_INTERVIEW, PL_ACT_REJECT, FA, &in), PL_ST_REJECTED);
    assert_int_equal(apply_ok(PL_ST_HIRED, PL_ACT_DECLINE, NU, &in), PL_ST_DECLINED);

    /* interview date */
    placement_input_init(&in);
    expect_err(PL_ST_REFERRED, PL_ACT_SCHEDULE, FA, &in, PL_E_INVALID,
               "placement.interview_date_required");
    expect_err(PL_ST_REFERRED, PL_ACT_SCHEDULE, FA, NULL, PL_E_INVALID,
               "placement.interview_date_required");
    in.interview_date = "";
    expect_err(PL_ST_INTERVIEW, PL_ACT_SCHEDULE, CO, &in, PL_E_INVALID,
               "placement.interview_date_required");
    const char *bad_dates[] = {"2026-02-29", "2026/03/01",  "2026-3-1",   "2026-04-31",
                               "20260301",   "2026-03-01 ", "1867-12-31", "令和8年3月1日"};
    for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
        in.interview_date = bad_dates[i];
        expect_err(PL_ST_INTERVIEW, PL_ACT_SCHEDULE, CO, &in, PL_E_INVALID,
                   "placement.interview_date_invalid");
    }
    in.interview_date = "2028-02-29";
    assert_int_equal(apply_ok(PL_ST_REFERRED, PL_ACT_SCHEDULE, FA, &in), PL_ST_INTERVIEW);

    /* placement: start date, employment form, permanent */
    in = full_input(PL_ACT_PLACE);
    in.start_date = NULL;
    expect_err(PL_ST_HIRED, PL_ACT_PLACE, FA, &in, PL_E_INVALID, "placement.start_date_required");
    expect_err(PL_ST_HIRED, PL_ACT_PLACE, FA, NULL, PL_E_INVALID, "placement.start_date_required");
    in.start_date = "2026-04-31";
    expect_err(PL_ST_HIRED, PL_ACT_PLACE, FA, &in, PL_E_INVALID, "placement.start_date_invalid");
    in = full_input(PL_ACT_PLACE);
    in.employment_form = OFFER_EMP_UNSET;
    expect_err(PL_ST_HIRED, PL_ACT_PLACE, FA, &in, PL_E_INVALID,
               "placement.employment_form_required");
    in.employment_form = (offer_employment_form)4;
    expect_err(PL_ST_HIRED, PL_ACT_PLACE, FA, &in, PL_E_INVALID,
               "placement.employment_form_invalid");
    in.employment_form = (offer_employment_form)-1;
    expect_err(PL_ST_HIRED, PL_ACT_PLACE, FA, &in, PL_E_INVALID,
               "placement.employment_form_invalid");
    in = full_input(PL_ACT_PLACE);
    in.permanent = OFFER_TRI_UNSET;
    expect_err(PL_ST_HIRED, PL_ACT_PLACE, FA, &in, PL_E_INVALID, "placement.permanent_required");
    in.permanent = (offer_tri)3;
    expect_err(PL_ST_HIRED, PL_ACT_PLACE, FA, &in, PL_E_INVALID, "placement.permanent_required");
    const offer_employment_form forms[] = {OFFER_EMP_JOKIN, OFFER_EMP_HIJOKIN, OFFER_EMP_RINJI};
    for (size_t i = 0; i < 3; i++) {
        in = full_input(PL_ACT_PLACE);
        in.employment_form = forms[i];
        in.permanent = i == 0 ? OFFER_YES : OFFER_NO;
        assert_int_equal(apply_ok(PL_ST_HIRED, PL_ACT_PLACE, CO, &in), PL_ST_PLACED);
    }

    /* actions without data accept NULL or an empty input */
    const placement_action plain[] = {PL_ACT_REQUEST,  PL_ACT_PROPOSE, PL_ACT_ACCEPT,
                                      PL_ACT_WITHDRAW, PL_ACT_REFER,   PL_ACT_HIRE};
    const placement_state from[] = {PL_ST_NONE,      PL_ST_NONE,      PL_ST_PROPOSED,
                                    PL_ST_REQUESTED, PL_ST_REQUESTED, PL_ST_INTERVIEW};
    const placement_actor who[] = {NU, CO, NU, NU, CO, FA};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        placement_input_init(&in);
        apply_ok(from[i], plain[i], who[i], NULL);
        apply_ok(from[i], plain[i], who[i], &in);
        in.note = "任意のメモ";
        apply_ok(from[i], plain[i], who[i], &in);
    }
}

static void test_retention_input(void **state)
{
    (void)state;
    placement_input in;

    in = full_input(PL_ACT_CHECK_1M);
    in.result = PL_CHECK_UNSET;
    expect_err(PL_ST_PLACED, PL_ACT_CHECK_1M, CO, &in, PL_E_INVALID, "placement.result_required");
    expect_err(PL_ST_PLACED, PL_ACT_CHECK_1M, CO, NULL, PL_E_INVALID, "placement.result_required");
    in.result = (placement_check_result)4;
    expect_err(PL_ST_PLACED, PL_ACT_CHECK_1M, CO, &in, PL_E_INVALID, "placement.result_invalid");
    in.result = (placement_check_result)-1;
    expect_err(PL_ST_PLACED, PL_ACT_CHECK_1M, CO, &in, PL_E_INVALID, "placement.result_invalid");

    in = full_input(PL_ACT_CHECK_3M);
    in.start_date = NULL;
    expect_err(PL_ST_CHECKED_1M, PL_ACT_CHECK_3M, CO, &in, PL_E_INVALID,
               "placement.start_date_required");
    in.start_date = "2026-13-01";
    expect_err(PL_ST_CHECKED_1M, PL_ACT_CHECK_3M, CO, &in, PL_E_INVALID,
               "placement.start_date_invalid");
    in = full_input(PL_ACT_CHECK_3M);
    in.today = NULL;
    expect_err(PL_ST_CHECKED_1M, PL_ACT_CHECK_3M, CO, &in, PL_E_INVALID,
               "placement.today_required");
    in.today = "tomorrow";
    expect_err(PL_ST_CHECKED_1M, PL_ACT_CHECK_3M, CO, &in, PL_E_INVALID,
               "placement.today_required");

    /* left: the date is required, not before the start, not after today */
    in = full_input(PL_ACT_CHECK_6M);
    in.result = PL_CHECK_LEFT;
    expect_err(PL_ST_CHECKED_3M, PL_ACT_CHECK_6M, CO, &in, PL_E_INVALID,
               "placement.left_date_required");
    in.left_date = "";
    expect_err(PL_ST_CHECKED_3M, PL_ACT_CHECK_6M, CO, &in, PL_E_INVALID,
               "placement.left_date_required");
    in.left_date = "2026-09-31";
    expect_err(PL_ST_CHECKED_3M, PL_ACT_CHECK_6M, CO, &in, PL_E_INVALID,
               "placement.left_date_invalid");
    in.left_date = "2026-03-31";
    expect_err(PL_ST_CHECKED_3M, PL_ACT_CHECK_6M, CO, &in, PL_E_INVALID,
               "placement.left_before_start");
    in.left_date = "2027-01-01"; /* today is 2026-12-31 */
    expect_err(PL_ST_CHECKED_3M, PL_ACT_CHECK_6M, CO, &in, PL_E_INVALID,
               "placement.left_date_future");
    in.left_date = "2026-12-31";
    assert_int_equal(apply_ok(PL_ST_CHECKED_3M, PL_ACT_CHECK_6M, CO, &in), PL_ST_CLOSED);
    /* a left date is ignored unless the result is left */
    in.result = PL_CHECK_STILL_EMPLOYED;
    in.left_date = "garbage";
    assert_int_equal(apply_ok(PL_ST_CHECKED_3M, PL_ACT_CHECK_6M, CO, &in), PL_ST_CLOSED);
}

static void test_check_due_boundary(void **state)
{
    (void)state;
    const struct {
        placement_state from;
        placement_action act;
        const char *start, *due;
    } rows[] = {
        {PL_ST_PLACED, PL_ACT_CHECK_1M, "2026-01-31", "2026-02-28"},
        {PL_ST_PLACED, PL_ACT_CHECK_1M, "2026-04-01", "2026-05-01"},
        {PL_ST_PLACED, PL_ACT_CHECK_1M, "2026-12-31", "2027-01-31"},
        {PL_ST_CHECKED_1M, PL_ACT_CHECK_3M, "2026-11-30", "2027-02-28"},
        {PL_ST_CHECKED_1M, PL_ACT_CHECK_3M, "2027-11-30", "2028-02-29"},
        {PL_ST_CHECKED_3M, PL_ACT_CHECK_6M, "2026-04-01", "2026-10-01"},
        {PL_ST_CHECKED_3M, PL_ACT_CHECK_6M, "2026-08-31", "2027-02-28"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char before[11];
        /* the day before the due date, computed independently of the module */
        int y, m, d;
        assert_int_equal(sscanf(rows[i].due, "%4d-%2d-%2d", &y, &m, &d), 3);
        if (d > 1) {
            snprintf(before, sizeof before, "%04d-%02d-%02d", y, m, d - 1);
        } else {
            static const int dim[] = {31, 31, 28, 31, 30, 31,
                                      30, 31, 31, 30, 31, 30}; /* month before m */
            snprintf(before, sizeof before, "%04d-%02d-%02d", m == 1 ? y - 1 : y,
                     m == 1 ? 12 : m - 1, dim[m - 1]);
        }
        placement_input in = full_input(rows[i].act);
        in.start_date = rows[i].start;
        in.today = before;
        expect_err(rows[i].from, rows[i].act, CO, &in, PL_E_INVALID, "placement.check_not_due");
        in.result = PL_CHECK_UNREACHABLE;
        expect_err(rows[i].from, rows[i].act, CO, &in, PL_E_INVALID, "placement.check_not_due");
        in.today = rows[i].due;
        apply_ok(rows[i].from, rows[i].act, CO, &in);
        in.result = PL_CHECK_STILL_EMPLOYED;
        apply_ok(rows[i].from, rows[i].act, CO, &in);
    }
}

/* Transition beats actor beats input. */
static void test_error_order(void **state)
{
    (void)state;
    /* not in the table: bad_transition even for a wrong actor with no data */
    expect_err(PL_ST_CLOSED, PL_ACT_REJECT, NU, NULL, PL_E_TRANSITION, "placement.bad_transition");
    /* wrong actor with missing data: forbidden */
    expect_err(PL_ST_REFERRED, PL_ACT_REJECT, NU, NULL, PL_E_FORBIDDEN, "placement.forbidden");
    expect_err(PL_ST_PLACED, PL_ACT_CHECK_1M, FA, NULL, PL_E_FORBIDDEN, "placement.forbidden");
    /* checks out of order */
    placement_input in = full_input(PL_ACT_CHECK_6M);
    expect_err(PL_ST_PLACED, PL_ACT_CHECK_6M, CO, &in, PL_E_TRANSITION, "placement.bad_transition");
    expect_err(PL_ST_CHECKED_1M, PL_ACT_CHECK_1M, CO, &in, PL_E_TRANSITION,
               "placement.bad_transition");
    /* a second request on the same application */
    expect_err(PL_ST_REQUESTED, PL_ACT_REQUEST, NU, NULL, PL_E_TRANSITION,
               "placement.bad_transition");
    /* placed cannot be cancelled or declined any more */
    in = full_input(PL_ACT_CANCEL);
    expect_err(PL_ST_PLACED, PL_ACT_CANCEL, CO, &in, PL_E_TRANSITION, "placement.bad_transition");
    in = full_input(PL_ACT_DECLINE);
    expect_err(PL_ST_PLACED, PL_ACT_DECLINE, NU, &in, PL_E_TRANSITION, "placement.bad_transition");
}

static void test_note_caps(void **state)
{
    (void)state;
    /* 1000 code points of あ (3 bytes each) pass, 1001 do not */
    char note[3 * (PLACEMENT_NOTE_MAX + 1) + 1];
    for (int i = 0; i < PLACEMENT_NOTE_MAX + 1; i++)
        memcpy(note + 3 * i, "\xE3\x81\x82", 3);
    note[3 * PLACEMENT_NOTE_MAX] = '\0';
    placement_input in;
    placement_input_init(&in);
    in.note = note;
    assert_int_equal(apply_ok(PL_ST_REQUESTED, PL_ACT_REFUSE, CO, &in), PL_ST_REFUSED);
    note[3 * PLACEMENT_NOTE_MAX] = '\xE3';
    note[3 * (PLACEMENT_NOTE_MAX + 1)] = '\0';
    expect_err(PL_ST_REQUESTED, PL_ACT_REFUSE, CO, &in, PL_E_INVALID, "placement.note_too_long");
    /* the cap applies to optional notes too */
    expect_err(PL_ST_NONE, PL_ACT_REQUEST, NU, &in, PL_E_INVALID, "placement.note_too_long");

    in.note = "改行は\n使えます";
    assert_int_equal(apply_ok(PL_ST_REQUESTED, PL_ACT_REFUSE, CO, &in), PL_ST_REFUSED);
    const char *bad[] = {"制御\x01文字", "\xE3\x81", "\xFF\xFE", "DEL\x7F"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        in.note = bad[i];
        expect_err(PL_ST_REQUESTED, PL_ACT_REFUSE, CO, &in, PL_E_INVALID, "placement.note_invalid");
        expect_err(PL_ST_PROPOSED, PL_ACT_ACCEPT, NU, &in, PL_E_INVALID, "placement.note_invalid");
    }
}

/* ---- Reasons, labels, messages ------------------------------------------------------------- */

static void test_reason_lists(void **state)
{
    (void)state;
    const placement_action acts[] = {PL_ACT_REJECT, PL_ACT_DECLINE};
    for (size_t k = 0; k < 2; k++) {
        size_t n = 99;
        const placement_reason *list = placement_reasons(acts[k], &n);
        assert_non_null(list);
        assert_true(n >= 5);
        int needs_note = 0;
        for (size_t i = 0; i < n; i++) {
            assert_true(list[i].code[0] && list[i].label[0]);
            for (size_t j = 0; j < i; j++)
                assert_string_not_equal(list[i].code, list[j].code);
            assert_ptr_equal(placement_reason_find(acts[k], list[i].code), &list[i]);
            if (list[i].needs_note) {
                needs_note++;
                assert_string_equal(list[i].code, "other");
            }
            /* every listed reason is accepted */
            placement_input in;
            placement_input_init(&in);
            in.reason_code = list[i].code;
            in.note = "詳細";
            apply_ok(PL_ST_REFERRED, acts[k], CO, &in);
        }
        assert_int_equal(needs_note, 1);
        assert_null(placement_reason_find(acts[k], NULL));
        assert_null(placement_reason_find(acts[k], "nope"));
    }
    assert_string_equal(placement_reason_find(PL_ACT_REJECT, "filled")->label,
                        "募集人員が充足した");
    assert_string_equal(placement_reason_find(PL_ACT_DECLINE, "other_offer")->label,
                        "他の就職先に決まった");
    size_t n = 99;
    assert_null(placement_reasons(PL_ACT_REFUSE, &n));
    assert_int_equal(n, 0);
    assert_null(placement_reason_find(PL_ACT_HIRE, "experience"));
}

static void test_names_and_labels(void **state)
{
    (void)state;
    for (int s = 0; s < PL_ST__COUNT; s++) {
        assert_true(placement_state_name(s)[0] && placement_state_label(s)[0]);
        assert_int_equal(placement_state_parse(placement_state_name(s)), s);
    }
    for (int a = 0; a < PL_ACT__COUNT; a++) {
        assert_true(placement_action_name(a)[0] && placement_action_label(a)[0]);
        assert_int_equal(placement_action_parse(placement_action_name(a)), a);
    }
    assert_string_equal(placement_state_name(PL_ST_REQUESTED), "requested");
    assert_string_equal(placement_state_label(PL_ST_REQUESTED), "紹介依頼");
    assert_string_equal(placement_state_label(PL_ST_PROPOSED), "紹介提案");
    assert_string_equal(placement_state_label(PL_ST_HIRED), "採用");
    assert_string_equal(placement_state_label(PL_ST_REJECTED), "不採用");
    assert_string_equal(placement_state_label(PL_ST_DECLINED), "辞退");
    assert_string_equal(placement_state_label(PL_ST_PLACED), "就職");
    assert_string_equal(placement_action_name(PL_ACT_CHECK_6M), "check_6m");
    assert_string_equal(placement_state_name(PL_ST__COUNT), "");
    assert_string_equal(placement_state_label((placement_state)-1), "");
    assert_string_equal(placement_action_name(PL_ACT__COUNT), "");
    assert_string_equal(placement_action_label((placement_action)-1), "");
    assert_int_equal(placement_state_parse(NULL), -1);
    assert_int_equal(placement_state_parse("Requested"), -1);
    assert_int_equal(placement_action_parse(NULL), -1);
    assert_int_equal(placement_action_parse(""), -1);

    const char *actor_names[] = {"nurse", "facility", "counselor", "central"};
    for (size_t i = 0; i < NACTORS; i++) {
        assert_string_equal(placement_actor_name(ACTORS[i]), actor_names[i]);
        assert_true(placement_actor_label(ACTORS[i])[0]);
    }
    assert_string_equal(placement_actor_name(PL_ACTOR_NONE), "");
    assert_string_equal(placement_actor_name((placement_actor)(NU | FA)), "");
    assert_string_equal(placement_actor_label(PL_ACTOR_NONE), "");

    assert_string_equal(placement_check_result_name(PL_CHECK_STILL_EMPLOYED), "still_employed");
    assert_string_equal(placement_check_result_label(PL_CHECK_STILL_EMPLOYED), "在職");
    assert_string_equal(placement_check_result_label(PL_CHECK_LEFT), "離職");
    assert_string_equal(placement_check_result_label(PL_CHECK_UNREACHABLE), "連絡不能");
    for (int r = PL_CHECK_STILL_EMPLOYED; r <= PL_CHECK_UNREACHABLE; r++)
        assert_int_equal(placement_check_result_parse(placement_check_result_name(r)), r);
    assert_int_equal(placement_check_result_parse(""), -1);
    assert_int_equal(placement_check_result_parse(NULL), -1);
    assert_int_equal(placement_check_result_parse("quit"), -1);
    assert_string_equal(placement_check_result_name((placement_check_result)9), "");
    assert_string_equal(placement_check_result_label((placement_check_result)-1), "");
}

static void test_actor_for_role(void **state)
{
    (void)state;
    assert_int_equal(placement_actor_for_role(ROLE_SEEKER), NU);
    assert_int_equal(placement_actor_for_role(ROLE_FACILITY_ADMIN), FA);
    assert_int_equal(placement_actor_for_role(ROLE_FACILITY_STAFF), FA);
    assert_int_equal(placement_actor_for_role(ROLE_COUNSELOR), CO);
    assert_int_equal(placement_actor_for_role(ROLE_CENTER_ADMIN), CO);
    assert_int_equal(placement_actor_for_role(ROLE_CENTRAL), CE);
    assert_int_equal(placement_actor_for_role(ROLE_SYSADMIN), PL_ACTOR_NONE);
    assert_int_equal(placement_actor_for_role(ROLE_NONE), PL_ACTOR_NONE);
    assert_int_equal(placement_actor_for_role((role)(ROLE_SEEKER | ROLE_COUNSELOR)), PL_ACTOR_NONE);
}

static void test_error_messages(void **state)
{
    (void)state;
    const struct {
        const char *code, *field;
    } codes[] = {
        {"placement.bad_transition", ""},
        {"placement.forbidden", ""},
        {"placement.reason_required", "reason_code"},
        {"placement.reason_invalid", "reason_code"},
        {"placement.note_required", "note"},
        {"placement.note_too_long", "note"},
        {"placement.note_invalid", "note"},
        {"placement.interview_date_required", "interview_date"},
        {"placement.interview_date_invalid", "interview_date"},
        {"placement.start_date_required", "start_date"},
        {"placement.start_date_invalid", "start_date"},
        {"placement.employment_form_required", "employment_form"},
        {"placement.employment_form_invalid", "employment_form"},
        {"placement.permanent_required", "permanent"},
        {"placement.result_required", "result"},
        {"placement.result_invalid", "result"},
        {"placement.check_not_due", "result"},
        {"placement.left_date_required", "left_date"},
        {"placement.left_date_invalid", "left_date"},
        {"placement.left_before_start", "left_date"},
        {"placement.left_date_future", "left_date"},
        {"placement.today_required", "today"},
    };
    const char *generic = placement_error_message("no.such.code");
    assert_true(generic[0]);
    assert_string_equal(placement_error_message(NULL), generic);
    assert_string_equal(placement_error_field("no.such.code"), "");
    assert_string_equal(placement_error_field(NULL), "");
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *msg = placement_error_message(codes[i].code);
        assert_true(msg[0]);
        if (!strcmp(msg, generic))
            fail_msg("%s has no message of its own", codes[i].code);
        /* Japanese: the message holds at least one non-ASCII byte */
        bool non_ascii = false;
        for (const char *p = msg; *p; p++)
            if ((unsigned char)*p >= 0x80)
                non_ascii = true;
        assert_true(non_ascii);
        assert_string_equal(placement_error_field(codes[i].code), codes[i].field);
    }
    assert_string_equal(placement_error_message("placement.forbidden"),
                        "この操作を行う権限がありません。");
}

/* ---- Dates ---------------------------------------------------------------------------------- */

static void test_add_months(void **state)
{
    (void)state;
    const struct {
        const char *date;
        int months;
        const char *want;
    } ok[] = {
        {"2026-01-31", 1, "2026-02-28"}, {"2028-01-31", 1, "2028-02-29"},
        {"2024-01-29", 1, "2024-02-29"}, {"2026-01-29", 1, "2026-02-28"},
        {"2026-01-28", 1, "2026-02-28"}, {"2026-03-31", 1, "2026-04-30"},
        {"2026-12-15", 1, "2027-01-15"}, {"2026-12-31", 1, "2027-01-31"},
        {"2026-11-30", 3, "2027-02-28"}, {"2026-10-31", 3, "2027-01-31"},
        {"2026-08-31", 6, "2027-02-28"}, {"2027-08-31", 6, "2028-02-29"},
        {"2026-07-31", 6, "2027-01-31"}, {"2100-01-31", 1, "2100-02-28"},
        {"2000-01-31", 1, "2000-02-29"}, {"2028-02-29", 12, "2029-02-28"},
        {"2026-05-17", 0, "2026-05-17"}, {"2026-04-01", 1200, "2126-04-01"},
        {"9999-11-30", 1, "9999-12-30"}, {"2026-02-28", 1, "2026-03-28"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char out[11];
        if (placement_add_months(ok[i].date, ok[i].months, out, sizeof out) != 0)
            fail_msg("%s + %d failed", ok[i].date, ok[i].months);
        assert_string_equal(out, ok[i].want);
    }
    const struct {
        const char *date;
        int months;
    } bad[] = {
        {"2026-02-29", 1},    {"2026-13-01", 1}, {"2026-00-10", 1},
        {"2026-1-01", 1},     {"", 1},           {NULL, 1},
        {"2026-01-01x", 1},   {"2026-01-32", 1}, {"2026-01-01", -1},
        {"2026-01-01", 1201}, {"9999-12-01", 1}, {"1867-01-01", 1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[11] = "untouched";
        if (placement_add_months(bad[i].date, bad[i].months, out, sizeof out) != -1)
            fail_msg("%s + %d should fail", bad[i].date ? bad[i].date : "(null)", bad[i].months);
        assert_string_equal(out, "untouched");
    }
    char small[10] = "untouched";
    assert_int_equal(placement_add_months("2026-01-01", 1, small, sizeof small), -1);
    assert_string_equal(small, "untouched");
    assert_int_equal(placement_add_months("2026-01-01", 1, NULL, 11), -1);
}

static void test_retention_due(void **state)
{
    (void)state;
    placement_due due;
    assert_int_equal(placement_retention_due("2026-04-01", &due), 0);
    assert_string_equal(due.m1, "2026-05-01");
    assert_string_equal(due.m3, "2026-07-01");
    assert_string_equal(due.m6, "2026-10-01");
    assert_int_equal(placement_retention_due("2026-08-31", &due), 0);
    assert_string_equal(due.m1, "2026-09-30");
    assert_string_equal(due.m3, "2026-11-30");
    assert_string_equal(due.m6, "2027-02-28");
    assert_int_equal(placement_retention_due("2027-11-30", &due), 0);
    assert_string_equal(due.m1, "2027-12-30");
    assert_string_equal(due.m3, "2028-02-29");
    assert_string_equal(due.m6, "2028-05-30");
    assert_int_equal(placement_retention_due("2026-02-30", &due), -1);
    assert_string_equal(due.m1, "");
    assert_string_equal(due.m6, "");
    assert_int_equal(placement_retention_due("9999-10-01", &due), -1); /* m6 overflows */
    assert_string_equal(due.m1, "");
    assert_int_equal(placement_check_months(PL_ACT_CHECK_1M), 1);
    assert_int_equal(placement_check_months(PL_ACT_CHECK_3M), 3);
    assert_int_equal(placement_check_months(PL_ACT_CHECK_6M), 6);
    assert_int_equal(placement_check_months(PL_ACT_PLACE), 0);
}

static void test_period_end(void **state)
{
    (void)state;
    const struct {
        const char *start;
        int months;
        const char *want;
    } rows[] = {
        {"2026-04-01", 6, "2026-09-30"}, {"2026-04-15", 6, "2026-10-14"},
        {"2026-07-15", 6, "2027-01-14"}, {"2026-08-31", 6, "2027-02-28"},
        {"2026-08-30", 6, "2027-02-28"}, {"2026-08-29", 6, "2027-02-28"},
        {"2026-08-28", 6, "2027-02-27"}, {"2027-08-31", 6, "2028-02-29"},
        {"2027-08-29", 6, "2028-02-28"}, {"2026-10-01", 6, "2027-03-31"},
        {"2026-01-01", 1, "2026-01-31"}, {"2026-12-01", 1, "2026-12-31"},
        {"2026-01-31", 1, "2026-02-28"}, {"2026-03-31", 1, "2026-04-30"},
        {"2026-05-31", 1, "2026-06-30"}, {"2026-06-30", 1, "2026-07-29"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char out[11];
        if (placement_period_end(rows[i].start, rows[i].months, out, sizeof out) != 0)
            fail_msg("period end of %s + %d failed", rows[i].start, rows[i].months);
        if (strcmp(out, rows[i].want) != 0)
            fail_msg("period end of %s + %d: %s, want %s", rows[i].start, rows[i].months, out,
                     rows[i].want);
    }
    char out[11] = "untouched";
    assert_int_equal(placement_period_end("2026-04-01", 0, out, sizeof out), -1);
    assert_int_equal(placement_period_end("2026-04-31", 6, out, sizeof out), -1);
    assert_int_equal(placement_period_end("9999-12-01", 1, out, sizeof out), -1);
    assert_string_equal(out, "untouched");
}

static void test_left_within_6m(void **state)
{
    (void)state;
    const struct {
        const char *start, *left;
        int want;
    } rows[] = {
        {"2026-04-01", "2026-04-01", 1}, /* left on the first day */
        {"2026-04-01", "2026-09-29", 1},
        {"2026-04-01", "2026-09-30", 1},
        {"2026-04-01", "2026-10-01", 0},
        {"2026-04-01", "2027-04-01", 0},
        {"2026-04-15", "2026-10-14", 1},
        {"2026-04-15", "2026-10-15", 0},
        {"2026-07-15", "2027-01-14", 1}, /* over the new year */
        {"2026-07-15", "2027-01-15", 0},
        {"2026-08-31", "2027-02-28", 1},
        {"2026-08-31", "2027-03-01", 0},
        {"2027-08-31", "2028-02-29", 1},
        {"2027-08-31", "2028-03-01", 0},
        {"2026-08-28", "2027-02-27", 1},
        {"2026-08-28", "2027-02-28", 0},
        {"2026-10-01", "2027-03-31", 1},
        {"2026-10-01", "2027-04-01", 0},
        /* invalid */
        {"2026-04-01", "2026-03-31", -1},
        {"2026-04-31", "2026-05-01", -1},
        {"2026-04-01", "2026-02-29", -1},
        {NULL, "2026-05-01", -1},
        {"2026-04-01", NULL, -1},
        {"2026-04-01", "2026/05/01", -1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int got = placement_left_within_6m(rows[i].start, rows[i].left);
        if (got != rows[i].want)
            fail_msg("start %s left %s: %d, want %d", rows[i].start ? rows[i].start : "(null)",
                     rows[i].left ? rows[i].left : "(null)", got, rows[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_pair),        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_terminal_states),   cmocka_unit_test(test_happy_paths),
        cmocka_unit_test(test_check_left_closes), cmocka_unit_test(test_required_input),
        cmocka_unit_test(test_retention_input),   cmocka_unit_test(test_check_due_boundary),
        cmocka_unit_test(test_error_order),       cmocka_unit_test(test_note_caps),
        cmocka_unit_test(test_reason_lists),      cmocka_unit_test(test_names_and_labels),
        cmocka_unit_test(test_actor_for_role),    cmocka_unit_test(test_error_messages),
        cmocka_unit_test(test_add_months),        cmocka_unit_test(test_retention_due),
        cmocka_unit_test(test_period_end),        cmocka_unit_test(test_left_within_6m),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
