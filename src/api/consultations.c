/* Consultations (相談), staff grants and the sensitive compartment: not implemented yet (the
 * routes answer 500 server.internal until they are). */
#include "api/api.h"

void h_staff_list(req *r)
{
    reply_error(r, E_INTERNAL, NULL);
}
void h_staff_grants(req *r)
{
    reply_error(r, E_INTERNAL, NULL);
}
void h_consultations_create(req *r)
{
    reply_error(r, E_INTERNAL, NULL);
}
void h_consultations_list(req *r)
{
    reply_error(r, E_INTERNAL, NULL);
}
void h_consultation_get(req *r)
{
    reply_error(r, E_INTERNAL, NULL);
}
void h_export_consultations(req *r)
{
    reply_error(r, E_INTERNAL, NULL);
}
