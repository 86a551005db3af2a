/* The referral letter (紹介状) as a PDF; see letter.h. */
#include "report/letter.h"
#include "domain/text.h"
#include "util/buf.h"
#include "util/timeutil.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Text cleaning and formatting ---------------------------------------------------------- */

/* Decodes one strictly valid UTF-8 sequence at p (no overlongs, surrogates or code points above
 * U+10FFFF). Returns its length and sets *cp, or 0 when p does not start a valid sequence. */
static size_t utf8_decode(const unsigned char *p, unsigned *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    size_t n;
    unsigned c, min;
    if ((p[0] & 0xE0) == 0xC0) {
        n = 2, c = p[0] & 0x1Fu, min = 0x80;
    } else if ((p[0] & 0xF0) == 0xE0) {
        n = 3, c = p[0] & 0x0Fu, min = 0x800;
    } else if ((p[0] & 0xF8) == 0xF0) {
        n = 4, c = p[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) /* also stops at the terminating NUL */
            return 0;
        c = (c << 6) | (p[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

char *letter_clean_text(const char *s, size_t max)
{
    static const char ELLIPSIS[] = "\xE2\x80\xA6";    /* … */
    static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */
    if (max < 4)
        return NULL;
    char *out = malloc(max + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int lines = 0;
    bool cut = false;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        unsigned cp;
        size_t n = utf8_decode(p, &cp);
        const char *emit = (const char *)p;
        size_t k = n;
        if (n == 0) {
            emit = REPLACEMENT;
            k = 3;
            n = 1;
        } else if (cp == '\r' || cp == '\n') {
            if (cp == '\r' && p[1] == '\n')
                n = 2;
            emit = ++lines > LETTER_VALUE_LINES_MAX ? " " : "\n";
            k = 1;
        } else if (cp == '\t') {
            emit = " ";
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
            k = 0; /* other control characters are dropped */
        }
        if (k > max - o) {
            cut = true;
            break;
        }
        memcpy(out + o, emit, k);
        o += k;
        p += n;
    }
    if (cut) {
        /* Make room for the ellipsis, stepping back over whole code points. */
        while (o > max - 3) {
            o--;
            while (o > 0 && ((unsigned char)out[o] & 0xC0) == 0x80)
                o--;
        }
        memcpy(out + o, ELLIPSIS, 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

int letter_format_yen(long long yen, char *out, size_t cap)
{
    char digits[32];
    unsigned long long v = yen < 0 ? 0ULL - (unsigned long long)yen : (unsigned long long)yen;
    int nd = snprintf(digits, sizeof digits, "%llu", v);
    if (nd <= 0 || (size_t)nd >= sizeof digits)
        return -1;
    size_t o = 0;
    size_t need = (size_t)nd + (size_t)(nd - 1) / 3 + (yen < 0 ? 1 : 0) + 3 + 1; /* 円 + NUL */
    if (need > cap)
        return -1;
    if (yen < 0)
        out[o++] = '-';
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    memcpy(out + o, "\xE5\x86\x86", 3); /* 円 */
    o += 3;
    out[o] = '\0';
    return 0;
}

/* A value under construction: appends past the cap are dropped (the final clean cuts the value
 * at LETTER_VALUE_MAX anyway). */
typedef struct vbuf {
    nbuf b;
} vbuf;

#define VBUF_MAX (4 * LETTER_VALUE_MAX + 4096)

static void v_puts(vbuf *v, const char *s)
{
    (void)nbuf_puts(&v->b, s);
}

static void v_printf(vbuf *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void v_printf(vbuf *v, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        v_puts(v, tmp);
}

/* Appends user text s, cut to LETTER_VALUE_MAX bytes first; "記載なし" when s is blank. */
static void v_text(vbuf *v, const char *s)
{
    if (text_blank(s)) {
        v_puts(v, LETTER_NOT_STATED);
        return;
    }
    size_t n = strlen(s);
    (void)nbuf_append(&v->b, s, n < LETTER_VALUE_MAX ? n : LETTER_VALUE_MAX);
}

static void v_yen(vbuf *v, int64_t yen)
{
    char tmp[40];
    if (yen == OFFER_UNSET || letter_format_yen((long long)yen, tmp, sizeof tmp) != 0)
        v_puts(v, LETTER_NOT_STATED);
    else
        v_puts(v, tmp);
}

/* Appends a date YYYY-MM-DD in 和暦 (令和8年4月1日); other text as it is. */
static void v_date(vbuf *v, const char *s)
{
    int y, m, d;
    char tmp[64];
    if (s && date_parse(s, &y, &m, &d) == 0 && era_format(y, m, d, tmp, sizeof tmp) == 0)
        v_puts(v, tmp);
    else
        v_text(v, s);
}

/* Appends a time HH:MM without a leading zero (08:30 → 8:30); other text as it is. */
static void v_time(vbuf *v, const char *s)
{
    int t = offer_time_minutes(s);
    if (t < 0)
        v_text(v, s);
    else
        v_printf(v, "%d:%02d", t / 60, t % 60);
}

static const char *tri_label(offer_tri t)
{
    return t == OFFER_YES ? "あり" : t == OFFER_NO ? "なし" : LETTER_NOT_STATED;
}

/* Appends the labels of the set bits of mask, joined with 、. Returns how many. */
static int v_bits(vbuf *v, unsigned mask, const char *const *labels, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (mask & (1u << i)) {
            if (k++)
                v_puts(v, "、");
            v_puts(v, labels[i]);
        }
    }
    return k;
}

/* ---- The conditions table ------------------------------------------------------------------- */

static void set_err(char *err, size_t errcap, const char *msg)
{
    if (err && errcap)
        snprintf(err, errcap, "%s", msg);
}

/* Ends the value under construction as the next row of rows. Returns 0 or -1 (out of memory). */
static int add_row(letter_rows *rows, const char *label, vbuf *v)
{
    char *value = letter_clean_text(v->b.len ? v->b.data : LETTER_NOT_STATED, LETTER_VALUE_MAX);
    nbuf_free(&v->b);
    nbuf_init(&v->b, VBUF_MAX);
    if (!value)
        return -1;
    if (text_blank(value)) { /* e.g. only control characters */
        free(value);
        value = letter_clean_text(LETTER_NOT_STATED, LETTER_VALUE_MAX);
        if (!value)
            return -1;
    }
    if (rows->n >= LETTER_ROWS_MAX) {
        free(value);
        return -1;
    }
    rows->items[rows->n].label = label;
    rows->items[rows->n].value = value;
    rows->n++;
    return 0;
}

static void contract_period(vbuf *v, const offer *o)
{
    if (o->contract.type == OFFER_CONTRACT_INDEFINITE) {
        v_puts(v, "期間の定めなし");
    } else if (o->contract.type == OFFER_CONTRACT_FIXED) {
        v_puts(v, "期間の定めあり（");
        v_date(v, o->contract.start);
        v_puts(v, "〜");
        v_date(v, o->contract.end);
        v_puts(v, "）");
    }
}

static void contract_renewal(vbuf *v, const offer *o)
{
    static const char *const RENEWAL[] = {NULL, "自動更新", "更新する場合あり", "更新しない"};
    if (o->contract.type == OFFER_CONTRACT_UNSET && o->contract.renewal == OFFER_RENEWAL_UNSET)
        return;
    int r = (int)o->contract.renewal;
    v_puts(v, r >= 1 && r <= 3 ? RENEWAL[r] : LETTER_NOT_STATED);
    if (!text_blank(o->contract.renewal_criteria)) {
        v_puts(v, "\n更新の判断基準：");
        v_text(v, o->contract.renewal_criteria);
    }
    if (o->contract.renewal == OFFER_RENEWAL_NONE)
        return;
    v_puts(v, "\n更新上限：");
    v_puts(v, tri_label(o->contract.renewal_cap));
    if (o->contract.renewal_cap == OFFER_YES) {
        bool any = false;
        v_puts(v, "（");
        if (o->contract.max_renewals != OFFER_UNSET) {
            v_printf(v, "更新回数%d回まで", o->contract.max_renewals);
            any = true;
        }
        if (o->contract.max_total_months != OFFER_UNSET) {
            if (any)
                v_puts(v, "／");
            v_printf(v, "通算契約期間%dか月まで", o->contract.max_total_months);
            any = true;
        }
        if (!any)
            v_puts(v, "上限の内容 " LETTER_NOT_STATED);
        v_puts(v, "）");
    }
}

static void probation(vbuf *v, const offer *o)
{
    if (o->probation.present == OFFER_NO) {
        v_puts(v, "なし");
        return;
    }
    if (o->probation.present != OFFER_YES)
        return;
    if (o->probation.months != OFFER_UNSET)
        v_printf(v, "あり（%dか月）", o->probation.months);
    else
        v_puts(v, "あり（期間 " LETTER_NOT_STATED "）");
    if (o->probation.conditions_differ == OFFER_NO) {
        v_puts(v, "\n試用期間中の労働条件：本採用後と同じ");
    } else if (o->probation.conditions_differ == OFFER_YES) {
        v_puts(v, "\n試用期間中の労働条件：");
        v_text(v, o->probation.conditions);
    }
}

static void workplace(vbuf *v, const offer *o)
{
    bool station = !text_blank(o->workplace.station), access = !text_blank(o->workplace.access);
    if (text_blank(o->workplace.address) && !station && !access)
        return;
    v_text(v, o->workplace.address);
    if (station) {
        v_puts(v, "\n最寄り駅：");
        v_text(v, o->workplace.station);
    }
    if (access) {
        v_puts(v, "\n交通手段：");
        v_text(v, o->workplace.access);
    }
}

static void hours(vbuf *v, const offer *o)
{
    bool times = !text_blank(o->hours.start) || !text_blank(o->hours.end);
    if (!times && o->hours.break_minutes == OFFER_UNSET)
        return;
    if (times) {
        int s = offer_time_minutes(o->hours.start), e = offer_time_minutes(o->hours.end);
        v_time(v, o->hours.start);
        v_puts(v, "〜");
        if (s >= 0 && e >= 0 && e <= s)
            v_puts(v, "翌");
        v_time(v, o->hours.end);
    } else {
        v_puts(v, LETTER_NOT_STATED);
    }
    if (o->hours.break_minutes != OFFER_UNSET)
        v_printf(v, "（休憩 %d分）", o->hours.break_minutes);
    else
        v_puts(v, "（休憩 " LETTER_NOT_STATED "）");
}

static void shifts(vbuf *v, const offer *o)
{
    static const char *const SHIFT[] = {"二交代", "三交代", "日勤のみ", "夜勤のみ", "当直"};
    int k = v_bits(v, o->hours.shift_patterns, SHIFT, 5);
    if (o->hours.night_shifts_per_month != OFFER_UNSET)
        v_printf(v, "%s夜勤 月%d回程度%s", k ? "（" : "", o->hours.night_shifts_per_month,
                 k ? "）" : "");
}

static void overtime(vbuf *v, const offer *o)
{
    if (o->hours.overtime == OFFER_TRI_UNSET)
        return;
    v_puts(v, tri_label(o->hours.overtime));
    if (o->hours.overtime == OFFER_YES && o->hours.overtime_avg_hours != OFFER_UNSET)
        v_printf(v, "（月平均%d時間）", o->hours.overtime_avg_hours);
}

static void holidays(vbuf *v, const offer *o)
{
    bool pattern = !text_blank(o->holidays.pattern);
    if (o->holidays.annual_days != OFFER_UNSET) {
        v_printf(v, "年間休日 %d日", o->holidays.annual_days);
        if (pattern) {
            v_puts(v, "（");
            v_text(v, o->holidays.pattern);
            v_puts(v, "）");
        }
    } else if (pattern) {
        v_text(v, o->holidays.pattern);
    }
}

static void wage(vbuf *v, const offer *o)
{
    static const char *const TYPE[] = {NULL, "月給", "時給", "日給", "年俸"};
    int t = (int)o->wage.type;
    if (o->wage.base_min == OFFER_UNSET && o->wage.base_max == OFFER_UNSET && t == 0)
        return;
    v_puts(v, t >= 1 && t <= 4 ? TYPE[t] : "賃金形態 " LETTER_NOT_STATED);
    v_puts(v, " ");
    v_yen(v, o->wage.base_min);
    if (o->wage.base_max != OFFER_UNSET && o->wage.base_max != o->wage.base_min) {
        v_puts(v, "〜");
        v_yen(v, o->wage.base_max);
    }
}

static void fixed_overtime(vbuf *v, const offer *o)
{
    if (o->wage.fixed_overtime != OFFER_YES) {
        if (o->wage.fixed_overtime == OFFER_NO)
            v_puts(v, "なし");
        return;
    }
    v_puts(v, "あり（");
    if (o->wage.fixed_overtime_hours != OFFER_UNSET)
        v_printf(v, "月%d時間分", o->wage.fixed_overtime_hours);
    else
        v_puts(v, "時間数 " LETTER_NOT_STATED);
    v_puts(v, "、");
    v_yen(v, o->wage.fixed_overtime_amount);
    v_puts(v, "）");
}

static void insurance(vbuf *v, const offer *o)
{
    const offer_tri t[4] = {o->insurance.employment, o->insurance.health, o->insurance.pension,
                            o->insurance.workers_comp};
    static const char *const NAME[4] = {"雇用保険", "健康保険", "厚生年金", "労災保険"};
    if (!t[0] && !t[1] && !t[2] && !t[3])
        return;
    for (int i = 0; i < 4; i++)
        v_printf(v, "%s%s %s", i ? "／" : "", NAME[i], tri_label(t[i]));
}

static void smoking(vbuf *v, const offer *o)
{
    static const char *const MEASURE[] = {NULL, "敷地内禁煙", "屋内禁煙",
                                          "喫煙室あり（屋内原則禁煙）", "その他"};
    int m = (int)o->smoking.measure;
    if (m < 1 || m > 4)
        return;
    v_puts(v, MEASURE[m]);
    if (!text_blank(o->smoking.note) || m == OFFER_SMOKING_OTHER) {
        v_puts(v, "（");
        v_text(v, o->smoking.note);
        v_puts(v, "）");
    }
}

static void age(vbuf *v, const offer *o)
{
    static const char *const EXC[] = {NULL,
                                      "1号（定年年齢を上限）",
                                      "2号（法令の規定による年齢制限）",
                                      "3号イ（長期勤続によるキャリア形成）",
                                      "3号ロ（技能・ノウハウの継承）",
                                      "3号ハ（芸術・芸能の表現の真実性）",
                                      "3号ニ（高年齢者等の雇用促進施策）"};
    if (o->age.max == OFFER_UNSET) {
        v_puts(v, "不問");
        return;
    }
    int e = (int)o->age.exception;
    v_printf(v, "%d歳以下（例外事由：%s）", o->age.max,
             e >= 1 && e <= 6 ? EXC[e] : LETTER_NOT_STATED);
    if (!text_blank(o->age.reason)) {
        v_puts(v, "\n理由：");
        v_text(v, o->age.reason);
    }
}

int letter_rows_from_offer(const char *offer_no, const offer *o, letter_rows *rows, char *err,
                           size_t errcap)
{
    static const char *const EMP[] = {NULL, "常勤", "非常勤", "臨時"};
    static const char *const LIC[] = {"保健師", "助産師", "看護師", "准看護師"};
    memset(rows, 0, sizeof *rows);
    vbuf v;
    nbuf_init(&v.b, VBUF_MAX);
    int rc = 0;
    /* Each item: fill v (nothing = 記載なし), then add the row. */
#define ROW(label, fill)                                                                           \
    do {                                                                                           \
        if (rc == 0) {                                                                             \
            fill;                                                                                  \
            rc = add_row(rows, label, &v);                                                         \
        }                                                                                          \
    } while (0)
    ROW("求人番号", v_text(&v, offer_no));
    ROW("職種（求人名）", if (o) v_text(&v, o->title));
    ROW("求人者", if (o) v_text(&v, o->employer.name));
    ROW("業務内容", if (o) v_text(&v, o->duties.description));
    ROW("業務の変更の範囲", if (o) v_text(&v, o->duties.change_scope));
    ROW("雇用形態", if (o && o->employment_form >= 1 && o->employment_form <= 3)
                        v_puts(&v, EMP[o->employment_form]));
    ROW("契約期間", if (o) contract_period(&v, o));
    if (!o || o->contract.type != OFFER_CONTRACT_INDEFINITE)
        ROW("契約の更新", if (o) contract_renewal(&v, o));
    ROW("試用期間", if (o) probation(&v, o));
    ROW("就業場所", if (o) workplace(&v, o));
    ROW("就業場所の変更の範囲", if (o) v_text(&v, o->workplace.change_scope));
    ROW("就業時間・休憩", if (o) hours(&v, o));
    ROW("勤務形態", if (o) shifts(&v, o));
    ROW("時間外労働", if (o) overtime(&v, o));
    ROW("休日", if (o) holidays(&v, o));
    ROW("賃金", if (o) wage(&v, o));
    ROW("手当", if (o) v_text(&v, o->wage.allowances));
    ROW("固定残業代", if (o) fixed_overtime(&v, o));
    ROW("社会保険", if (o) insurance(&v, o));
    ROW("受動喫煙対策", if (o) smoking(&v, o));
    ROW("年齢", if (o) age(&v, o));
    ROW("応募資格", if (o) v_bits(&v, o->licences, LIC, 4));
#undef ROW
    nbuf_free(&v.b);
    if (rc != 0)
        set_err(err, errcap, "out of memory building the letter's rows");
    return rc;
}

void letter_rows_free(letter_rows *rows)
{
    for (int i = 0; i < rows->n; i++)
        free(rows->items[i].value);
    rows->n = 0;
}

/* ---- Page layout ---------------------------------------------------------------------------- */

#define PAGE_W         595.2756 /* A4 in points */
#define PAGE_H         841.8898
#define MARGIN_X       56.7
#define MARGIN_TOP     42.0
#define CONTENT_W      (PAGE_W - 2 * MARGIN_X)
#define CONTENT_BOTTOM (PAGE_H - 58.0)
#define FOOTER_Y       (PAGE_H - 42.0)
#define LABEL_W        120.0
#define PAD_X          6.0
#define PAD_Y          3.0

/* IPAex fonts (Debian fonts-ipaexfont-mincho / -gothic, installed by scripts/deps.sh): TrueType,
 * which cairo 1.16 subsets glyph by glyph. With the OpenType/CFF Noto CJK fonts a letter was about
 * 1.1 MB and cairo_surface_finish leaked 768 bytes per embedded CFF subset (4 per letter); with
 * IPAex it is about 90 KB and nothing leaks. IPAex has no bold face: fontconfig synthesizes it
 * (90-synthetic.conf) and cairo embeds those glyphs as outlines. A character IPAex lacks (e.g.
 * 𠮷 U+20BB7, outside JIS X 0213) falls back through fontconfig to another font, Noto CJK for
 * kanji, whose CFF subset brings that 768-byte leak back for that letter. */
#define F_TITLE   "IPAexMincho Bold 20"
#define F_ADDRESS "IPAexMincho Bold 13"
#define F_PROSE   "IPAexMincho 10.5"
#define F_HEAD    "IPAexGothic Bold 10"
#define F_LABEL   "IPAexGothic Bold 8.5"
#define F_VALUE   "IPAexGothic 8.5"
#define F_SMALL   "IPAexGothic 8"
#define F_ISSUER  "IPAexGothic Bold 10"

/* The rendering state of one pass. The letter is laid out twice: a measuring pass that only
 * counts pages, then the drawing pass that knows the total for the footers. */
typedef struct pg {
    cairo_t *cr;      /* borrowed */
    PangoContext *pc; /* borrowed */
    bool draw;        /* false in the measuring pass */
    int page;         /* current page, from 1 */
    int pages;        /* total pages (drawing pass) */
    double y;         /* top of the free space on the page */
    const char *ref;  /* cleaned referral number */
} pg;

/* A new layout of text (valid UTF-8) in font, wrapped at width points. Caller unrefs it. */
static PangoLayout *mk(pg *p, const char *font, const char *text, double width, PangoAlignment a)
{
    PangoLayout *l = pango_layout_new(p->pc);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, a);
    pango_layout_set_text(l, text, -1);
    return l;
}

static double height_of(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void show(pg *p, PangoLayout *l, double x, double y)
{
    if (!p->draw)
        return;
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
}

static void hline(pg *p, double x0, double x1, double y, double width)
{
    if (!p->draw)
        return;
    cairo_set_source_rgb(p->cr, 0.25, 0.25, 0.25);
    cairo_set_line_width(p->cr, width);
    cairo_move_to(p->cr, x0, y);
    cairo_line_to(p->cr, x1, y);
    cairo_stroke(p->cr);
}

static void footer(pg *p)
{
    char left[320], right[48];
    snprintf(left, sizeof left, "紹介状　紹介番号 %s", p->ref);
    snprintf(right, sizeof right, "%d/%d", p->page, p->pages);
    hline(p, MARGIN_X, PAGE_W - MARGIN_X, FOOTER_Y - 4, 0.5);
    PangoLayout *l = mk(p, F_SMALL, left, CONTENT_W, PANGO_ALIGN_LEFT);
    show(p, l, MARGIN_X, FOOTER_Y);
    g_object_unref(l);
    l = mk(p, F_SMALL, right, CONTENT_W, PANGO_ALIGN_RIGHT);
    show(p, l, MARGIN_X, FOOTER_Y);
    g_object_unref(l);
}

static void end_page(pg *p)
{
    if (p->draw) {
        footer(p);
        cairo_show_page(p->cr);
    }
}

static void new_page(pg *p)
{
    end_page(p);
    p->page++;
    p->y = MARGIN_TOP;
}

static bool at_top(const pg *p)
{
    return p->y <= MARGIN_TOP + 0.5;
}

/* Places a block of text at the flow position (a new page first when it does not fit), then
 * advances by its height and gap. keep: extra space that must remain below it on the page (a
 * heading keeps its first row). */
static void block(pg *p, const char *font, const char *text, PangoAlignment a, double gap,
                  double keep)
{
    PangoLayout *l = mk(p, font, text, CONTENT_W, a);
    double h = height_of(l);
    if (p->y + h + keep > CONTENT_BOTTOM && !at_top(p))
        new_page(p);
    show(p, l, MARGIN_X, p->y);
    p->y += h + gap;
    g_object_unref(l);
}

/* Draws one cell pair of a table row: the label cell (shaded) and the value cell, seg_h high,
 * and the value lines between top and top + content_h of layout v (clipped when partial). */
static void draw_segment(pg *p, PangoLayout *lab, PangoLayout *v, double top, double content_h,
                         double seg_h, bool partial)
{
    if (!p->draw)
        return;
    cairo_t *cr = p->cr;
    cairo_set_line_width(cr, 0.6);
    cairo_rectangle(cr, MARGIN_X, p->y, LABEL_W, seg_h);
    cairo_set_source_rgb(cr, 0.93, 0.94, 0.96);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
    cairo_stroke(cr);
    cairo_rectangle(cr, MARGIN_X + LABEL_W, p->y, CONTENT_W - LABEL_W, seg_h);
    cairo_stroke(cr);
    show(p, lab, MARGIN_X + PAD_X, p->y + PAD_Y);
    cairo_save(cr);
    if (partial) {
        cairo_rectangle(cr, MARGIN_X + LABEL_W, p->y + PAD_Y, CONTENT_W - LABEL_W, content_h);
        cairo_clip(cr);
    }
    show(p, v, MARGIN_X + LABEL_W + PAD_X, p->y + PAD_Y - top);
    cairo_restore(cr);
}

/* One table row: label | value. A row that does not fit moves to the next page; a row taller
 * than a page is split between lines, the label repeated with （続き）. Returns 0 or -1 (out of
 * memory). */
static int table_row(pg *p, const char *label, const char *value)
{
    const double cap = CONTENT_BOTTOM - MARGIN_TOP;
    PangoLayout *v = mk(p, F_VALUE, value, CONTENT_W - LABEL_W - 2 * PAD_X, PANGO_ALIGN_LEFT);
    int n = pango_layout_get_line_count(v);
    if (n < 1) /* pango gives an empty text one line; be safe anyway */
        n = 1;
    double *y0 = malloc(sizeof(double) * 2 * (size_t)n);
    if (!y0) {
        g_object_unref(v);
        return -1;
    }
    double *y1 = y0 + n;
    PangoLayoutIter *it = pango_layout_get_iter(v);
    int i = 0;
    do {
        int a, b;
        pango_layout_iter_get_line_yrange(it, &a, &b);
        y0[i] = (double)a / PANGO_SCALE;
        y1[i] = (double)b / PANGO_SCALE;
        i++;
    } while (i < n && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    n = i;

    char cont_label[128];
    snprintf(cont_label, sizeof cont_label, "%s（続き）", label);
    PangoLayout *lab = mk(p, F_LABEL, label, LABEL_W - 2 * PAD_X, PANGO_ALIGN_LEFT);
    PangoLayout *lab_cont = mk(p, F_LABEL, cont_label, LABEL_W - 2 * PAD_X, PANGO_ALIGN_LEFT);
    int first = 0;
    while (first < n) {
        PangoLayout *l = first ? lab_cont : lab;
        double lab_h = height_of(l) + 2 * PAD_Y;
        double avail = CONTENT_BOTTOM - p->y;
        double rest_h = y1[n - 1] - y0[first] + 2 * PAD_Y;
        if (rest_h < lab_h)
            rest_h = lab_h;
        int last = n;
        if (rest_h > avail) {
            if (!at_top(p) && rest_h <= cap) { /* the whole rest fits on a fresh page */
                new_page(p);
                continue;
            }
            last = first;
            if (lab_h <= avail)
                while (last < n && y1[last] - y0[first] + 2 * PAD_Y <= avail)
                    last++;
            if (last == first) {
                if (!at_top(p)) {
                    new_page(p);
                    continue;
                }
                last = first + 1; /* a line taller than a page: cannot happen at these sizes */
            }
        }
        double content_h = y1[last - 1] - y0[first];
        double seg_h = content_h + 2 * PAD_Y;
        if (seg_h < lab_h)
            seg_h = lab_h;
        draw_segment(p, l, v, y0[first], content_h, seg_h, first > 0 || last < n);
        p->y += seg_h;
        first = last;
        if (first < n)
            new_page(p);
    }
    g_object_unref(lab);
    g_object_unref(lab_cont);
    g_object_unref(v);
    free(y0);
    return 0;
}

/* The cleaned strings of a letter_data, each owned here (free with clean_free). */
typedef struct cleaned {
    char *ref, *date, *center_name, *center_address, *center_phone, *counselor;
    char *applicant, *kana, *licences, *facility, *facility_address;
} cleaned;

static void clean_free(cleaned *c)
{
    char **f[] = {&c->ref,          &c->date,      &c->center_name,     &c->center_address,
                  &c->center_phone, &c->counselor, &c->applicant,       &c->kana,
                  &c->licences,     &c->facility,  &c->facility_address};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        free(*f[i]);
        *f[i] = NULL;
    }
}

/* Lays out (and in the drawing pass draws) the whole letter. Returns 0 or -1 (out of memory). */
static int flow(pg *p, const cleaned *c, const letter_rows *rows)
{
    char buf[LETTER_VALUE_MAX + 256];
    p->page = 1;
    p->y = MARGIN_TOP;

    block(p, F_TITLE, "紹介状", PANGO_ALIGN_CENTER, 10, 0);

    /* The addressee on the left, the referral number and date on the right. */
    const double lw = CONTENT_W * 0.64;
    double ly = p->y;
    if (!text_blank(c->facility_address)) {
        PangoLayout *a = mk(p, F_SMALL, c->facility_address, lw, PANGO_ALIGN_LEFT);
        show(p, a, MARGIN_X, ly);
        ly += height_of(a) + 2;
        g_object_unref(a);
    }
    snprintf(buf, sizeof buf, "%s　御中", c->facility);
    PangoLayout *l = mk(p, F_ADDRESS, buf, lw, PANGO_ALIGN_LEFT);
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    show(p, l, MARGIN_X, ly);
    ly += h + 2;
    hline(p, MARGIN_X, MARGIN_X + (w + 12 < lw ? w + 12 : lw), ly, 0.8);
    g_object_unref(l);
    snprintf(buf, sizeof buf, "紹介番号：%s\n発行日：%s", c->ref, c->date);
    l = mk(p, F_SMALL, buf, CONTENT_W - lw - 8, PANGO_ALIGN_RIGHT);
    show(p, l, MARGIN_X + lw + 8, p->y);
    double ry = p->y + height_of(l);
    g_object_unref(l);
    p->y = (ly > ry ? ly : ry) + 12;

    block(p, F_PROSE,
          "下記の者を紹介いたします。ご面接のうえ、採否の結果を当センターまでお知らせください。",
          PANGO_ALIGN_LEFT, 4, 0);
    block(p, F_PROSE, "記", PANGO_ALIGN_CENTER, 2, 0);

    block(p, F_HEAD, "1．紹介する求職者", PANGO_ALIGN_LEFT, 3, 36);
    if (text_blank(c->kana))
        snprintf(buf, sizeof buf, "%s", c->applicant);
    else
        snprintf(buf, sizeof buf, "%s（%s）", c->applicant, c->kana);
    if (table_row(p, "氏名（フリガナ）", buf) || table_row(p, "保有資格", c->licences))
        return -1;
    p->y += 10;

    block(p, F_HEAD, "2．求人の内容・労働条件（職業安定法第5条の3）", PANGO_ALIGN_LEFT, 3, 36);
    for (int i = 0; i < rows->n; i++)
        if (table_row(p, rows->items[i].label, rows->items[i].value))
            return -1;
    p->y += 4;

    /* The note on the left and 以上 on the right of the same line. */
    PangoLayout *note = mk(p, F_SMALL,
                           "※ 上記は求人票の記載内容です。採用の際の労働条件は、労働基準法第15条"
                           "により書面で明示してください。",
                           CONTENT_W - 40, PANGO_ALIGN_LEFT);
    PangoLayout *end = mk(p, F_PROSE, "以上", CONTENT_W, PANGO_ALIGN_RIGHT);
    double hn = height_of(note), he = height_of(end), hb = hn > he ? hn : he;
    if (p->y + hb > CONTENT_BOTTOM && !at_top(p))
        new_page(p);
    show(p, note, MARGIN_X, p->y + hb - hn); /* bottoms aligned */
    show(p, end, MARGIN_X, p->y + hb - he);
    p->y += hb;
    g_object_unref(note);
    g_object_unref(end);

    /* The issuing center, at the bottom of the last page. */
    nbuf b;
    nbuf_init(&b, 4 * LETTER_VALUE_MAX + 256);
    int rc = nbuf_puts(&b, c->center_address);
    if (!text_blank(c->center_phone))
        rc |= nbuf_printf(&b, "%sTEL %s", b.len ? "\n" : "", c->center_phone);
    if (!text_blank(c->counselor))
        rc |= nbuf_printf(&b, "%s担当相談員　%s", b.len ? "\n" : "", c->counselor);
    if (rc != 0) {
        nbuf_free(&b);
        return -1;
    }
    const double ix = MARGIN_X + CONTENT_W * 0.5, iw = CONTENT_W * 0.5;
    PangoLayout *name = mk(p, F_ISSUER, c->center_name, iw, PANGO_ALIGN_LEFT);
    PangoLayout *rest = mk(p, F_SMALL, b.data ? b.data : "", iw, PANGO_ALIGN_LEFT);
    double hname = height_of(name), hrest = b.len ? height_of(rest) + 2 : 0;
    if (p->y + 12 + hname + hrest > CONTENT_BOTTOM)
        new_page(p);
    double y = CONTENT_BOTTOM - hname - hrest;
    show(p, name, ix, y);
    if (b.len)
        show(p, rest, ix, y + hname + 2);
    g_object_unref(name);
    g_object_unref(rest);
    nbuf_free(&b);
    end_page(p);
    return 0;
}

/* ---- The PDF ----------------------------------------------------------------------------------
 */

typedef struct sink {
    nbuf b;
    bool failed;
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
    sink *s = closure;
    if (nbuf_append(&s->b, data, length) != 0) {
        s->failed = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* Cleans d's strings into c (owned by c; clean_free also after an error). Returns 0, or -1
 * with err set. */
static int clean_data(const letter_data *d, cleaned *c, char *err, size_t errcap)
{
    memset(c, 0, sizeof *c);
    int y, m, dd;
    char date[64];
    if (text_blank(d->referral_no) || text_blank(d->applicant.name) ||
        text_blank(d->facility.name) || text_blank(d->center.name)) {
        set_err(err, errcap,
                "letter: referral number, applicant, facility and center are required");
        return -1;
    }
    if (!d->issue_date || date_parse(d->issue_date, &y, &m, &dd) != 0 ||
        era_format(y, m, dd, date, sizeof date) != 0) {
        set_err(err, errcap, "letter: issue date must be a date YYYY-MM-DD");
        return -1;
    }
    /* The licence labels joined with 、 (each cut first, so the join stays bounded). */
    vbuf lic;
    nbuf_init(&lic.b, VBUF_MAX);
    int nl = d->applicant.licences ? d->applicant.n_licences : 0;
    if (nl > LETTER_LICENCES_MAX)
        nl = LETTER_LICENCES_MAX;
    for (int i = 0, k = 0; i < nl; i++) {
        const char *s = d->applicant.licences[i];
        if (text_blank(s))
            continue;
        if (k++)
            v_puts(&lic, "、");
        size_t len = strlen(s);
        (void)nbuf_append(&lic.b, s, len < 200 ? len : 200);
    }
    c->ref = letter_clean_text(d->referral_no, 200);
    c->date = letter_clean_text(date, 64);
    c->center_name = letter_clean_text(d->center.name, 400);
    c->center_address = letter_clean_text(d->center.address, 400);
    c->center_phone = letter_clean_text(d->center.phone, 200);
    c->counselor = letter_clean_text(d->center.counselor, 400);
    c->applicant = letter_clean_text(d->applicant.name, 400);
    c->kana = letter_clean_text(d->applicant.name_kana, 400); /* blank: the name alone */
    c->licences = letter_clean_text(lic.b.len ? lic.b.data : LETTER_NOT_STATED, LETTER_VALUE_MAX);
    c->facility = letter_clean_text(d->facility.name, 400);
    c->facility_address = letter_clean_text(d->facility.address, 400);
    nbuf_free(&lic.b);
    if (!c->ref || !c->date || !c->center_name || !c->center_address || !c->center_phone ||
        !c->counselor || !c->applicant || !c->kana || !c->licences || !c->facility ||
        !c->facility_address) {
        set_err(err, errcap, "letter: out of memory");
        return -1;
    }
    return 0;
}

/* Runs one pass over a fresh cairo context of surface. Returns 0 or -1. */
static int run_pass(cairo_surface_t *surface, pg *p, const cleaned *c, const letter_rows *rows)
{
    cairo_t *cr = cairo_create(surface);
    PangoContext *pc = pango_cairo_create_context(cr);
    pango_cairo_context_set_resolution(pc, 72.0); /* font sizes in points = PDF units */
    pango_context_set_language(pc, pango_language_from_string("ja-jp"));
    p->cr = cr;
    p->pc = pc;
    int rc = flow(p, c, rows);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        rc = -1;
    g_object_unref(pc);
    cairo_destroy(cr);
    return rc;
}

int letter_render_pdf(const letter_data *d, unsigned char **out, size_t *len, char *err,
                      size_t errcap)
{
    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    if (!d || !out || !len) {
        set_err(err, errcap, "letter: bad arguments");
        return -1;
    }
    cleaned c;
    letter_rows rows;
    memset(&rows, 0, sizeof rows);
    if (clean_data(d, &c, err, errcap) != 0 ||
        letter_rows_from_offer(d->offer_no, d->offer, &rows, err, errcap) != 0) {
        letter_rows_free(&rows);
        clean_free(&c);
        return -1;
    }

    sink s = {.failed = false};
    nbuf_init(&s.b, LETTER_PDF_MAX);
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(sink_write, &s, PAGE_W, PAGE_H);
    char title[256];
    snprintf(title, sizeof title, "紹介状 %s", c.ref);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "nccs");

    pg p = {.draw = false, .ref = c.ref};
    int rc = run_pass(surface, &p, &c, &rows); /* counts the pages */
    if (rc == 0) {
        p.pages = p.page;
        p.draw = true;
        rc = run_pass(surface, &p, &c, &rows);
    }
    cairo_surface_finish(surface);
    cairo_status_t st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    letter_rows_free(&rows);
    clean_free(&c);

    if (rc != 0 || st != CAIRO_STATUS_SUCCESS || s.failed) {
        if (s.failed)
            set_err(err, errcap, "letter: the PDF exceeds its size cap or memory is exhausted");
        else if (st != CAIRO_STATUS_SUCCESS && err && errcap)
            snprintf(err, errcap, "letter: cairo: %s", cairo_status_to_string(st));
        else if (st == CAIRO_STATUS_SUCCESS)
            set_err(err, errcap, "letter: out of memory");
        nbuf_free(&s.b);
        return -1;
    }
    /* The result is a fresh block of exactly the PDF's size, allocated here rather than inside
     * cairo_surface_finish (where the write callback grew the sink): a caller that forgets to
     * free it is reported by LeakSanitizer at this line (see tests/unit/test_letter.c). */
    unsigned char *pdf = s.b.len ? malloc(s.b.len) : NULL;
    if (!pdf) {
        nbuf_free(&s.b);
        set_err(err, errcap, "letter: out of memory");
        return -1;
    }
    memcpy(pdf, s.b.data, s.b.len);
    *out = pdf;
    *len = s.b.len;
    nbuf_free(&s.b);
    return 0;
}
