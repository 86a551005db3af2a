/* Declarative validation of JSON request bodies. A body is checked against a table of field
 * specs; every problem is collected (all at once) with a stable code, the field path and a
 * Japanese message. Unknown keys are errors. Accepted string values are normalised in place
 * in the JSON (NFKC, trimmed; kana to katakana; e-mail lower-cased; digits-only fields
 * stripped of hyphens), so handlers read clean values. */
#ifndef NCCS_DOMAIN_VALIDATE_H
#define NCCS_DOMAIN_VALIDATE_H
#include <jansson.h>
#include <stdbool.h>

typedef struct verr {
    char field[96]; /* e.g. "licences[0].number" */
    char code[96];  /* e.g. "licences.number.invalid" */
    char message[256];
} verr;

#define VERRS_MAX 48
typedef struct verrs {
    verr items[VERRS_MAX];
    int n;
} verrs;

/* Adds an error; field and code are truncated to fit. Ignored when full. */
void verrs_add(verrs *e, const char *field, const char *code, const char *message);

typedef enum {
    VT_STRING,
    VT_OBJECT,       /* sub = the nested spec */
    VT_OBJECT_ARRAY, /* array of objects; sub = element spec */
    VT_INTEGER,      /* JSON integer within [min, max] */
    VT_CODE_ARRAY,   /* array of distinct strings from `codes`; at most max items */
    VT_BOOL,         /* JSON true/false */
    VT_STRING_ARRAY, /* array of distinct strings, each checked against sub[0] (a VT_STRING
                      * spec, e.g. VK_DIGITS for municipality codes); at most max items */
} vtype;

typedef enum {
    VK_TEXT,      /* single-line text: NFKC, no control characters */
    VK_MULTILINE, /* text with newlines allowed */
    VK_EMAIL,     /* lower-cased, syntax checked */
    VK_KATAKANA,  /* hiragana converted; katakana, ー, ・ and spaces only */
    VK_DIGITS,    /* 0-9 only after removing hyphens/spaces; min/max = digit counts */
    VK_PHONE,     /* 10 or 11 digits with optional hyphens; stored as typed (NFKC) */
    VK_DATE_PAST, /* YYYY-MM-DD, real date, not after today (JST) */
    VK_DATE,      /* YYYY-MM-DD, real date (past or future) */
    VK_CODE,      /* one of `codes` */
    VK_PASSWORD,  /* length checks only, no normalisation */
    VK_TOKEN,     /* opaque ASCII token (URL-safe base64) */
} vkind;

typedef struct vfield {
    const char *name;  /* JSON key; NULL terminates a spec */
    const char *label; /* Japanese name for messages, e.g. "メールアドレス" */
    vtype type;
    vkind kind;
    bool required;
    int min;                  /* min length in characters (or digits, or items) */
    int max;                  /* max length in characters (or digits, or items); 0 = none */
    const char *const *codes; /* VK_CODE: NULL-terminated allowed values */
    const struct vfield *sub; /* VT_OBJECT / VT_OBJECT_ARRAY */
    bool select;              /* "選択してください" wording for missing */
} vfield;

/* Common field specs, so the password policy and e-mail limits live in one place. */
#define PASSWORD_MIN 10
#define PASSWORD_MAX 128
#define VF_EMAIL(key, lbl)                                                                         \
    {                                                                                              \
        .name = key, .label = lbl, .kind = VK_EMAIL, .required = true, .max = 254                  \
    }
/* A password being chosen: the policy applies. */
#define VF_NEW_PASSWORD(key, lbl)                                                                  \
    {                                                                                              \
        .name = key, .label = lbl, .kind = VK_PASSWORD, .required = true, .min = PASSWORD_MIN,     \
        .max = PASSWORD_MAX                                                                        \
    }
/* A password being checked against the stored hash: any non-empty value. */
#define VF_PASSWORD(key, lbl)                                                                      \
    {                                                                                              \
        .name = key, .label = lbl, .kind = VK_PASSWORD, .required = true, .min = 1,                \
        .max = PASSWORD_MAX                                                                        \
    }

/* One licence (免許: type, register number, registration date) as registration, the seeker
 * profile and a notification accept it: {type, number (1–10 digits), registered_on (past)}. */
extern const vfield LICENCE_SPEC[];

/* Validates obj against spec. path/codebase are the prefixes for nested fields ("" at top).
 * Returns the number of errors added. */
int validate_object(json_t *obj, const vfield *spec, const char *path, const char *codebase,
                    verrs *e);

/* Convenience: the normalised string value of key, or NULL. Borrowed from obj. */
const char *vstr(const json_t *obj, const char *key);

#endif
