/* The code lists of notifications, consultations and the casework queue. */
#include "domain/casework.h"
#include <string.h>

const code_label NOTIF_REASONS[] = {
    {"left_job", "病院等を離職した"},
    {"stopped_practising", "看護職として業務に従事しなくなった"},
    {"not_practising_after_licensing", "免許取得後ただちに業務に従事しない"},
    {NULL, NULL}};
const code_label NOTIF_LAST_WORKPLACES[] = {{"hospital", "病院"},
                                            {"clinic", "診療所"},
                                            {"visiting_nursing", "訪問看護ステーション"},
                                            {"care_facility", "介護施設等"},
                                            {"other", "その他"},
                                            {NULL, NULL}};
const code_label NOTIF_WORK_STATUSES[] = {{"not_working", "未就業"},
                                          {"non_nursing", "看護職以外で就業中"},
                                          {"studying", "就学中"},
                                          {"other", "その他"},
                                          {NULL, NULL}};
const code_label NOTIF_CHANNELS[] = {{"pc", "インターネット（PC）"},
                                     {"smartphone", "インターネット（スマートフォン）"},
                                     {"center", "ナースセンター窓口"},
                                     {"proxy", "施設による代行届出"},
                                     {NULL, NULL}};
const code_label NOTIF_STATUSES[] = {
    {"pending_confirmation", "本人確認待ち"}, {"active", "受付済"}, {NULL, NULL}};
const code_label CONSULT_CHANNELS[] = {{"visit", "来所"},        {"phone", "電話"},
                                       {"mail", "メール"},       {"online", "オンライン"},
                                       {"outreach", "出張相談"}, {NULL, NULL}};
const code_label CONSULT_CATEGORIES[] = {{"employment", "就業"},
                                         {"return", "復職"},
                                         {"workplace", "職場環境"},
                                         {"conditions", "労働条件"},
                                         {"mental_health", "メンタルヘルス"},
                                         {"career", "進路"},
                                         {"other", "その他"},
                                         {NULL, NULL}};
/* Help-desk inquiry categories of the yearly report (DESIGN.md §6). */
const code_label HELPDESK_CATEGORIES[] = {{"job_seekers", "求職者"},
                                          {"facilities_offers", "求人施設・求人票"},
                                          {"consultations", "相談"},
                                          {"applications", "応募・紹介"},
                                          {"reports_data", "統計・データ出力"},
                                          {"center_admin", "ナースセンター運営"},
                                          {"mail", "メール配信"},
                                          {"other_system", "その他システム"},
                                          {"hardware_network", "機器・ネットワーク"},
                                          {"fault", "障害報告"},
                                          {"request", "対応依頼"},
                                          {"wish", "要望"},
                                          {"other", "その他"},
                                          {NULL, NULL}};
const code_label HELPDESK_STATUSES[] = {
    {"open", "回答待ち"}, {"answered", "回答済み"}, {"closed", "完了"}, {NULL, NULL}};
const code_label OUTREACH_PLACES[] = {
    {"hello_work", "ハローワーク"}, {"other", "その他の会場"}, {NULL, NULL}};
const code_label TASK_KINDS[] = {{"notification", "新規届出への初回連絡"},
                                 {"registration", "新規求職登録への初回連絡"},
                                 {"follow_up", "相談のフォローアップ"},
                                 {"handover", "他県からの引継ぎ"},
                                 {NULL, NULL}};
const code_label TASK_OUTCOMES[] = {{"contacted", "連絡済"},
                                    {"unreachable", "連絡がつかない"},
                                    {"not_needed", "対応不要"},
                                    {NULL, NULL}};
const code_label CONSENT_METHODS[] = {
    {"written", "書面"}, {"verbal", "口頭"}, {"online", "オンライン"}, {NULL, NULL}};

const char *code_label_of(const code_label *list, const char *code)
{
    if (!code)
        return NULL;
    for (const code_label *c = list; c->code; c++)
        if (!strcmp(c->code, code))
            return c->label;
    return NULL;
}

const char *code_label_code(const code_label *list, const char *s)
{
    if (!s)
        return NULL;
    for (const code_label *c = list; c->code; c++)
        if (!strcmp(c->code, s) || !strcmp(c->label, s))
            return c->code;
    return NULL;
}
