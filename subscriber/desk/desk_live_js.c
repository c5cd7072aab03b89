/* GET /live.js: the one script, served by the desk (CSP default-src
 * 'self', no inline script). It listens to /events (desk_live.h) and, when
 * the agent committed something new, fetches the list's page (with its
 * search and filters) again and puts its list in place of the old one,
 * keeping the cards that did not change (and their thumbnails); without
 * it the page works by reload.
 * A case new to this page at urgent or critical plays /alert.wav, vibrates
 * a phone and raises a Notification (once the officer allowed them: the
 * first tap asks). The title counts the open cases nobody acknowledged;
 * #live says when the agent or the stream is down. body's data-alerts and
 * data-notified count what the alarm did, for the test and for support. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "desk/desk_pages.h"

/* In two parts: C11 promises string literals of 4095 bytes, no more. */
static const char JS_ALARM[] =
	"'use strict';\n"
	"(function () {\n"
	"  var live = document.getElementById('live');\n"
	"  if (!live || !window.EventSource) return;\n"
	"  var base = document.title;\n"
	"  var known = {};\n"
	"  var alerts = 0, notified = 0, seq = -1, agentSay = live.textContent, lost = false;\n"
	"  var words = live.dataset, months = (words.months || '').split('|');\n"
	"  var fill = function (s, v) { return (s || '').replace('%s', v); };\n"
	"  var when = function (ms) {  /* as the desk writes dates: IST, DD Mon YYYY, 12-hour */\n"
	"    var t = new Date(ms + 19800000), h = t.getUTCHours();\n"
	"    return ('0' + t.getUTCDate()).slice(-2) + ' ' + months[t.getUTCMonth()] + ' ' + t.getUTCFullYear() +\n"
	"      ', ' + (h % 12 || 12) + ':' + ('0' + t.getUTCMinutes()).slice(-2) + ' ' + (h < 12 ? words.am : words.pm);\n"
	"  };\n"
	"  var cards = function (root) { return root.querySelectorAll('a.case'); };\n"
	"  var acks = function (a) {\n"
	"    var s = a.querySelector('.acks');\n"
	"    return s ? parseInt(s.textContent.replace(/[^0-9]/g, ''), 10) || 0 : 0;\n"
	"  };\n"
	"  var urgent = function (a) { return /\\bp[45]\\b/.test(a.className); };\n"
	"  var count = function () {\n"
	"    var n = 0;\n"
	"    cards(document).forEach(function (a) { if (acks(a) === 0) n++; });\n"
	"    document.title = (n > 0 ? '(' + n + ') ' : '') + base;\n"
	"  };\n"
	"  var say = function () {\n"
	"    live.textContent = lost ? words.lost + ' ' + agentSay : agentSay;\n"
	"    live.classList.toggle('lost', lost);\n"
	"  };\n"
	"  var alarm = function (a) {\n"
	"    alerts++;\n"
	"    document.body.dataset.alerts = alerts;\n"
	"    var sound = new Audio('/alert.wav');\n"
	"    var played = sound.play();\n"
	"    if (played && played.catch) played.catch(function () {});\n"
	"    if (navigator.vibrate) navigator.vibrate([300, 100, 300]);\n"
	"    if (!window.Notification || Notification.permission !== 'granted') return;\n"
	"    var name = a.querySelector('.name');\n"
	"    var prio = a.querySelector('.prio');\n"
	"    new Notification(fill(words.notify, prio ? prio.textContent : ''),\n"
	"                     {body: name ? name.textContent : '', tag: a.getAttribute('href')});\n"
	"    notified++;\n"
	"    document.body.dataset.notified = notified;\n"
	"  };\n"
	"  var learn = function (root, ring) {\n"
	"    cards(root).forEach(function (a) {\n"
	"      var id = a.getAttribute('href');\n"
	"      if (ring && !known[id] && urgent(a)) alarm(a);\n"
	"      known[id] = true;\n"
	"    });\n"
	"  };\n";
static const char JS_STREAM[] =
	"  var list = document.querySelector('ol.cases');\n"
	"  var refresh = function () {\n"
	"    fetch(location.pathname + location.search, {credentials: 'same-origin', cache: 'no-store'}).then(function (r) {\n"
	"      if (!r.ok || r.redirected) throw new Error('no list');\n"
	"      return r.text();\n"
	"    }).then(function (text) {\n"
	"      var doc = new DOMParser().parseFromString(text, 'text/html');\n"
	"      var fresh = doc.querySelector('ol.cases');\n"
	"      if (!fresh) return;\n"
	"      learn(fresh, true);\n"
	"      list.dataset.seq = fresh.dataset.seq;\n"
	"      while (list.nextSibling) list.parentNode.removeChild(list.nextSibling);\n"
	"      var after = fresh.nextSibling;\n"
	"      while (after) { var next = after.nextSibling; list.parentNode.appendChild(after); after = next; }\n"
	"      var old = {};\n"
	"      Array.prototype.forEach.call(list.children, function (li) { old[li.outerHTML] = li; });\n"
	"      var items = Array.prototype.map.call(fresh.children, function (li) {\n"
	"        return old[li.outerHTML] || li;  /* a card unchanged keeps its loaded thumbnail */\n"
	"      });\n"
	"      list.replaceChildren.apply(list, items);\n"
	"      count();\n"
	"      document.body.dataset.seq = seq;\n"
	"    }).catch(function () {});\n"
	"  };\n"
	"  if (list) { learn(document, false); count(); seq = Number(list.dataset.seq || -1); }\n"
	"  document.addEventListener('click', function () {\n"
	"    if (window.Notification && Notification.permission === 'default') Notification.requestPermission();\n"
	"  }, {once: true});\n"
	"  var es = new EventSource('/events');\n"
	"  es.onopen = function () { lost = false; say(); };\n"
	"  es.onerror = function () { lost = true; say(); };\n"
	"  es.addEventListener('login', function () { es.close(); window.location.assign('/login'); });\n"
	"  es.onmessage = function (e) {\n"
	"    var d = JSON.parse(e.data);\n"
	"    var state = {offline: fill(words.offline, when(d.since)), stopped: fill(words.stopped, when(d.since)),\n"
	"                 nodb: words.nodb};\n"
	"    agentSay = state[d.agent] || '';\n"
	"    live.className = 'live a-' + d.agent;\n"
	"    lost = false;\n"
	"    say();\n"
	"    if (list && d.seq !== seq) { seq = d.seq; refresh(); }\n"
	"    seq = d.seq;\n"
	"    document.body.dataset.live = 'open';\n"
	"  };\n"
	"})();\n";

static char js[sizeof(JS_ALARM) + sizeof(JS_STREAM)];
static pthread_once_t js_once = PTHREAD_ONCE_INIT;

static void js_join(void)
{
	snprintf(js, sizeof(js), "%s%s", JS_ALARM, JS_STREAM);
}

enum MHD_Result desk_page_live_js(struct desk_request *r)
{
	pthread_once(&js_once, js_join);
	return desk_reply(r, 200, "text/javascript; charset=utf-8", js, strlen(js), NULL);
}
