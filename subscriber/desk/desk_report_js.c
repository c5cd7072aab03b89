/* GET /forms.js: the report forms' script, served by the desk (CSP
 * default-src 'self', no inline script); the forms work without it.
 * It keeps a draft of each form in localStorage as it is typed (not the
 * photos) and puts it back when the page is opened again after a lost
 * connection or a reload; the page that says a form was sent or queued
 * (data-draft-sent) clears it. When photos are chosen it shows each one's
 * size as taken. Its words come from the form's data-* attributes, which
 * the desk writes in the officer's language. */
#include <string.h>

#include "desk/desk_report.h"

static const char JS[] =
	"(function () {\n"
	"'use strict';\n"
	"var PREFIX = 'raksha-draft:';\n"
	"function store(f) { try { f(window.localStorage); } catch (e) { /* private mode: no drafts */ } }\n"
	"var sent = document.querySelector('[data-draft-sent]');\n"
	"if (sent) store(function (s) { s.removeItem(PREFIX + sent.getAttribute('data-draft-sent')); });\n"
	"var form = document.querySelector('form[data-draft]');\n"
	"if (!form) return;\n"
	"var key = PREFIX + form.getAttribute('data-draft');\n"
	"function fields() {\n"
	"  return Array.prototype.filter.call(form.elements, function (el) {\n"
	"    return el.name && el.type !== 'file' && el.type !== 'hidden' && el.type !== 'submit';\n"
	"  });\n"
	"}\n"
	"function save() {\n"
	"  var d = {};\n"
	"  fields().forEach(function (el) { d[el.name] = el.type === 'checkbox' ? (el.checked ? 'yes' : '') : el.value; });\n"
	"  store(function (s) { s.setItem(key, JSON.stringify(d)); });\n"
	"  form.setAttribute('data-saved', String(Date.now()));\n"
	"}\n"
	"function restore() {\n"
	"  var text = null;\n"
	"  store(function (s) { text = s.getItem(key); });\n"
	"  if (!text) return;\n"
	"  var d;\n"
	"  try { d = JSON.parse(text); } catch (e) { return; }\n"
	"  fields().forEach(function (el) {\n"
	"    if (!Object.prototype.hasOwnProperty.call(d, el.name)) return;\n"
	"    if (el.type === 'checkbox') el.checked = d[el.name] === 'yes'; else el.value = d[el.name];\n"
	"  });\n"
	"  var note = document.createElement('p');\n"
	"  note.className = 'notice';\n"
	"  note.id = 'draft-restored';\n"
	"  note.textContent = form.getAttribute('data-restored');\n"
	"  form.parentNode.insertBefore(note, form);\n"
	"}\n"
	"if (form.hasAttribute('data-fresh')) restore(); else save();\n"
	"form.addEventListener('input', save);\n"
	"form.addEventListener('change', save);\n"
	"var file = form.querySelector('input[type=file]');\n"
	"var out = document.getElementById('photo-sizes');\n"
	"function words(template, a, b) { return template.replace('%s', a).replace('%s', b); }\n"
	"if (file && out) file.addEventListener('change', function () {\n"
	"  var lines = Array.prototype.map.call(file.files, function (p) {\n"
	"    if (p.size > 12 * 1024 * 1024) return words(form.getAttribute('data-photo-big'), p.name, '');\n"
	"    return words(form.getAttribute('data-photo-size'), p.name, (p.size / 1e6).toFixed(1));\n"
	"  });\n"
	"  out.textContent = lines.join('; ');\n"
	"});\n"
	"})();\n";

enum MHD_Result desk_page_forms_js(struct desk_request *r)
{
	return desk_reply(r, 200, "text/javascript; charset=utf-8", JS, strlen(JS), NULL);
}
