/* A report form's page (desk_report.h): what desk_report_form_html() writes. */
#ifndef RAKSHA_DESK_REPORT_PAGE_H
#define RAKSHA_DESK_REPORT_PAGE_H

#include "desk/desk_report.h"

struct desk_rf_page {
	const struct desk_request *r;
	const struct desk_rf *f;
	const char *action;   /* the URL it posts to */
	const char *draft;    /* the draft's key: "report", "seen:ID" */
	int bad;              /* fields in error: the form came back */
	size_t photos_kept;   /* a revision's photos of the report */
	char **stations;      /* the datalist's station codes */
	size_t n_stations;
};

/* The form of @p, from its <h1> to its script. */
void desk_report_form_html(struct desk_html *h, const struct desk_rf_page *p);

#endif
