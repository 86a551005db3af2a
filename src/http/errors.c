#include "http/errors.h"

static const err_def defs[E__COUNT] = {
    [E_MALFORMED_JSON] = {400, "request.malformed_json",
                          "送信された内容を読み取れませんでした。入力内容をご確認ください。"},
    [E_BAD_PARAMETER] = {400, "request.bad_parameter", "指定された条件が正しくありません。"},
    [E_AUTH_REQUIRED] = {401, "auth.required", "ログインしてください。"},
    [E_INVALID_CREDENTIALS] = {401, "auth.invalid_credentials",
                               "メールアドレスまたはパスワードが正しくありません。"},
    [E_FORBIDDEN] = {403, "auth.forbidden", "この操作を行う権限がありません。"},
    [E_CSRF] =
        {403, "auth.csrf",
         "セキュリティ確認に失敗しました。ページを再読み込みしてからもう一度お試しください。"},
    [E_UNVERIFIED] =
        {403, "auth.unverified",
         "メールアドレスの確認が済んでいません。届いたメールのリンクから確認してください。"},
    [E_ROUTE_NOT_FOUND] = {404, "request.not_found", "お探しのページは見つかりませんでした。"},
    [E_NOT_FOUND] = {404, "resource.not_found", "該当するデータが見つかりませんでした。"},
    [E_METHOD_NOT_ALLOWED] = {405, "request.method_not_allowed", "この操作はできません。"},
    [E_CONFLICT] = {409, "resource.conflict",
                    "ほかの操作と重なりました。画面を更新してからもう一度お試しください。"},
    [E_BAD_STATE] = {409, "state.invalid_transition",
                     "現在の状態ではこの操作を行えません。画面を更新してご確認ください。"},
    [E_TOKEN_INVALID] = {410, "auth.token_invalid",
                         "このリンクは無効か、有効期限が切れています。もう一度お手続きください。"},
    [E_TOO_LARGE] = {413, "request.too_large", "送信された内容が大きすぎます。"},
    [E_URI_TOO_LONG] = {414, "request.uri_too_long", "URLが長すぎます。"},
    [E_UNSUPPORTED_MEDIA] = {415, "request.unsupported_media_type",
                             "送信形式が正しくありません（JSONで送信してください）。"},
    [E_VALIDATION] = {422, "validation.failed",
                      "入力内容に誤りがあります。各項目をご確認ください。"},
    [E_THROTTLED] = {429, "auth.throttled",
                     "ログインの失敗が続いたため、一時的にログインを制限しています。しばらくしてか"
                     "らお試しください。"},
    [E_RATE_LIMITED] = {429, "request.rate_limited",
                        "操作が集中しています。しばらくしてからもう一度お試しください。"},
    [E_INTERNAL] = {500, "server.internal",
                    "システムでエラーが発生しました。時間をおいてもう一度お試しください。"},
    [E_UNAVAILABLE] = {503, "server.unavailable",
                       "ただいまサービスを利用できません。時間をおいてもう一度お試しください。"},
    [E_OFFER_NOT_OPEN] = {409, "offer.not_open",
                          "この求人票は現在募集していないため、紹介を依頼できません。"},
    [E_SEEKER_NOT_ACTIVE] = {409, "seeker.not_active",
                             "求職登録が有効ではありません。求職者プロフィールを登録するか、登録を"
                             "更新してください。"},
    [E_APP_DUPLICATE] = {409, "application.duplicate",
                         "この求人票にはすでに紹介依頼（または紹介）が進行中です。"},
    [E_APP_NOT_REFERRED] = {409, "application.not_referred",
                            "紹介状は、ナースセンターが紹介を行った後に発行されます。"},
    [E_MATCH_NO_PROFILE] = {409, "match.no_profile",
                            "希望条件が登録されていません。求職者プロフィールで希望条件を登録すると"
                            "、条件に合う求人が表示されます。"},
    [E_MATCH_OFFER_NOT_PUBLISHED] = {409, "match.offer_not_published",
                                     "公開中の求人票ではないため、候補者を表示できません。"},
    [E_SAVED_SEARCH_LIMIT] = {409, "saved_search.limit",
                              "保存できる検索条件は20件までです。不要な検索条件を削除してから保存し"
                              "てください。"},
    [E_NOTIFICATION_NOT_ACTIVE] = {409, "notification.not_active",
                                   "この届出はまだ本人の確認が済んでいないため、変更できません。"},
    [E_NOTIFICATION_NOT_PENDING] = {409, "notification.not_pending",
                                    "この届出はすでに確認済みです。"},
    [E_TASK_DONE] = {409, "task.done", "このタスクはすでに完了しています。"},
    [E_MERGE_CONFLICT] =
        {409, "merge.conflict",
         "統合される側の記録に求職登録があるため統合できません。求職登録のある記録の側"
         "へ統合してください。"},
    [E_SENSITIVE_FORBIDDEN] = {403, "consultation.sensitive_forbidden",
                               "要配慮情報（メンタルヘルス等）の記録を扱う権限がありません。"},
};

const err_def *err_get(err_id id)
{
    if (id < 0 || id >= E__COUNT)
        id = E_INTERNAL;
    return &defs[id];
}
