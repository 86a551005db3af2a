/* The referral letter (紹介状) as a PDF: A4 portrait, cairo + pango, IPAex fonts (Noto CJK as
 * fallback for missing characters).
 *
 * Pure rendering, no database: the caller gathers the referral, the applicant, the facility, the
 * issuing nurse center and the offer (domain/offer.h; a stored OfferBody is turned into one with
 * api/offer_json.h's offer_from_json) into a letter_data and gets the PDF bytes back.
 *
 * The letter holds: the referral number and issue date, the title 紹介状, the facility addressed
 * (御中), a formal sentence, the applicant (氏名, フリガナ, 資格), the offer's working conditions
 * as 職業安定法5条の3 and 同法施行規則4条の2 require them to be stated (one label | value row each;
 * items the offer does not state read 記載なし), the issuing center at the bottom of the last page
 * and on every page a footer with the referral number and "page x / y".
 *
 * Input text: every string is borrowed, expected UTF-8. Nothing from the caller reaches pango
 * unchecked: invalid UTF-8 sequences become U+FFFD, control characters other than line breaks are
 * dropped, and each value is cut to LETTER_VALUE_MAX bytes ending in "…".
 *
 * Thread safety: letter_render_pdf may run on several threads at once (pango's default font map
 * is per thread). */
#ifndef NCCS_REPORT_LETTER_H
#define NCCS_REPORT_LETTER_H
#include "domain/offer.h"
#include <stddef.h>

/* Bytes of one shown value at most, the "…" that marks a cut included. */
#define LETTER_VALUE_MAX 4000
/* Line breaks kept in one value; later ones become spaces (bounds the page count). */
#define LETTER_VALUE_LINES_MAX 80
/* Rows of the conditions table at most (letter_rows_from_offer uses fewer). */
#define LETTER_ROWS_MAX 40
/* Licence labels of the applicant shown at most. */
#define LETTER_LICENCES_MAX 8
/* The largest PDF letter_render_pdf produces (bytes); more is an error. */
#define LETTER_PDF_MAX (8u * 1024u * 1024u)

typedef struct letter_data {
    const char *referral_no; /* 紹介番号, e.g. "13-2026-000012" (required) */
    const char *issue_date;  /* 発行日, YYYY-MM-DD (required; shown in 和暦) */
    struct {
        const char *name;      /* e.g. 東京都ナースセンター (required) */
        const char *address;   /* optional */
        const char *phone;     /* optional */
        const char *counselor; /* 担当相談員 (optional) */
    } center;
    struct {
        const char *name;            /* 氏名 (required) */
        const char *name_kana;       /* フリガナ (optional) */
        const char *const *licences; /* labels, e.g. "看護師" (borrowed array, may be NULL) */
        int n_licences;              /* entries of licences; at most LETTER_LICENCES_MAX shown */
    } applicant;
    struct {
        const char *name;    /* 施設名, addressed 御中 (required) */
        const char *address; /* optional */
    } facility;
    const char *offer_no; /* 求人番号, e.g. "13-2026-000345" (optional) */
    const offer *offer;   /* the offer's content (borrowed); NULL = every condition 記載なし */
} letter_data;

/* One row of the conditions table. */
typedef struct letter_row {
    const char *label; /* static Japanese label, e.g. "賃金" */
    char *value;       /* owned by the letter_rows: cleaned UTF-8, at most LETTER_VALUE_MAX
                          bytes, never empty (missing items read 記載なし) */
} letter_row;

typedef struct letter_rows {
    letter_row items[LETTER_ROWS_MAX];
    int n;
} letter_rows;

/* The text shown for a missing item. */
#define LETTER_NOT_STATED "記載なし"

/* Returns a newly allocated copy of s (caller frees) that is safe to give pango: valid UTF-8
 * (each invalid byte becomes U+FFFD), CR LF and CR become LF, tab becomes a space, other C0 and
 * C1 control characters and DEL are dropped, line breaks after the LETTER_VALUE_LINES_MAX-th
 * become spaces, and the result is cut at a code point boundary to at most max bytes (max >= 4;
 * a cut ends in "…"). NULL s gives "". Returns NULL only when memory is exhausted or max < 4. */
char *letter_clean_text(const char *s, size_t max);

/* Formats yen with thousands separators: 250000 → "250,000円". Returns 0, or -1 when out
 * (capacity cap) is too small. */
int letter_format_yen(long long yen, char *out, size_t cap);

/* Fills rows (reset first) with the offer's working conditions in the letter's order, each with
 * its Japanese label and formatted value: 求人番号, 職種（求人名）, 求人者, 業務内容, 業務の変更の
 * 範囲, 雇用形態, 契約期間, 契約の更新 (left out for contracts without a fixed term), 試用期間,
 * 就業場所 (with station and access), 就業場所の変更の範囲, 就業時間・休憩, 勤務形態 (with night
 * shifts), 時間外労働, 休日, 賃金 (type and base min–max, e.g. 月給 250,000円〜300,000円), 手当,
 * 固定残業代 (hours and amount), 社会保険, 受動喫煙対策, 年齢, 応募資格.
 * offer_no and o may be NULL (their items read 記載なし). The values are owned by rows: free them
 * with letter_rows_free, also after an error. Returns 0, or -1 with a message in err (capacity
 * errcap) when memory is exhausted. */
int letter_rows_from_offer(const char *offer_no, const offer *o, letter_rows *rows, char *err,
                           size_t errcap);
/* Frees the values of rows and empties it (safe on an emptied or zeroed rows). */
void letter_rows_free(letter_rows *rows);

/* Renders the letter of d as a PDF. On success returns 0 and sets *out to a newly allocated
 * buffer of *len bytes that the caller frees with free(). On failure returns -1, leaves *out NULL
 * and *len 0, and writes a message into err (capacity errcap): a required item of d missing or
 * the issue date malformed, the PDF over LETTER_PDF_MAX, or a cairo error. */
int letter_render_pdf(const letter_data *d, unsigned char **out, size_t *len, char *err,
                      size_t errcap);

#endif
