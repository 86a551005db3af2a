/* Access statistics queries; see access.h. */
#include "store/access.h"

int store_access_add(db *d, const access_counts *c)
{
    for (size_t i = 0; i < c->n; i++) {
        const access_count *e = &c->items[i];
        char day[16];
        access_day_text(e->day, day, sizeof day);
        db_val p[] = {DBT(day),
                      DBT(access_site_name((access_site)e->site)),
                      DBT(access_page_name((access_page)e->page)),
                      DBT(access_device_name((access_device)e->device)),
                      DBI(e->views),
                      DBI(e->visits)};
        int rc = db_query(d,
                          "INSERT INTO access_daily (day, site, page, device, views, visits) "
                          "VALUES ($1, $2, $3, $4, $5, $6) "
                          "ON CONFLICT (day, site, page, device) DO UPDATE SET "
                          "views = access_daily.views + excluded.views, "
                          "visits = access_daily.visits + excluded.visits",
                          p, 6, NULL);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}

int store_access_rows(db *d, const char *from, const char *to, db_res **out)
{
    db_val p[] = {DBT(from), DBT(to)};
    return db_query(d,
                    "SELECT day, site, page, device, views, visits FROM access_daily "
                    "WHERE day >= $1 AND day <= $2 ORDER BY day, site, page, device",
                    p, 2, out);
}

int store_import_run_exists(db *d, const char *kind, const char *sha256, bool *yes)
{
    db_val p[] = {DBT(kind), DBT(sha256)};
    int64_t n = 0;
    int rc =
        db_scalar(d, "SELECT COUNT(*) FROM import_runs WHERE kind = $1 AND sha256 = $2", p, 2, &n);
    *yes = n > 0;
    return rc;
}

int store_import_run_insert(db *d, const char *kind, const char *sha256, const char *file_name,
                            int64_t rows_total, int64_t rows_imported, int64_t now)
{
    db_val p[] = {DBT(kind),       DBT(sha256),        DBT(file_name),
                  DBI(rows_total), DBI(rows_imported), DBI(now)};
    return db_query(d,
                    "INSERT INTO import_runs (kind, sha256, file_name, rows_total, "
                    "rows_imported, imported_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    p, 6, NULL);
}
