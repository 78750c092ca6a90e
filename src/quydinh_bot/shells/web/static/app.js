/* Trang tra cứu văn bản và nhiệm vụ (quydinh-bot).
 *
 * Plain JavaScript, no build step, nothing loaded from outside the machine. Every piece of
 * document text reaches the page as text nodes (never parsed as HTML), and the
 * API key lives in sessionStorage only: it is gone when the tab closes or the user signs out.
 */
'use strict';

(function () {
  const KEY_STORE = 'quydinh.apiKey';
  const PAGE_ROWS = 200; // register rows rendered at a time
  const FETCH_LIMIT = 1000; // the API's largest page
  const PALETTE = ['#2563eb', '#dc2626', '#15803d', '#9333ea', '#ea580c', '#0e7490', '#a16207', '#db2777',
    '#4d7c0f', '#1e3a8a'];
  const OTHER_COLOUR = '#94a3b8';
  const INTENTS = {
    lead: 'Hỏi cơ quan chủ trì',
    deadline: 'Hỏi thời hạn',
    fact: 'Hỏi số liệu',
    list: 'Hỏi danh sách nhiệm vụ',
    clause: 'Hỏi nội dung',
    register: 'Tra sổ nhiệm vụ',
  };
  const VIEWS = { '#hoi-dap': 'ask', '#so-nhiem-vu': 'register', '#lich-thoi-han': 'timeline' };
  // Same figures the Telegram answer bolds (answer._FIGURE): counts, decimals, percentages.
  const FIGURE = /(?<![\p{L}\p{N}_/.-])(\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?\s?%|\d+(?:,\d+)?)(?![\p{L}\p{N}_/-])/gu;

  const state = {
    today: null, // ISO date "today" of the service (QUYDINH_TODAY or its clock)
    docs: [],
    docOrder: new Map(),
    allTasks: null, // the unfiltered register: lists of bodies, colours
    colours: new Map(), // folded lead -> colour
    leadNames: new Map(), // folded lead -> displayed name
    rows: [], // the filtered register
    total: 0,
    params: null, // URLSearchParams of the filter in force
    days: 30,
    sortKey: 'due',
    sortDir: 1,
    shown: 0,
    registerLoaded: false,
    showPast: false,
    lastFocus: null,
  };

  class AuthError extends Error {}

  // ---------------------------------------------------------------- small helpers
  const $ = (id) => document.getElementById(id);

  /** An element with attributes, listeners (onclick…) and children (strings become text nodes). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') el.className = value;
      else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
      else if (name === 'dataset') Object.assign(el.dataset, value);
      else el.setAttribute(name, value === true ? '' : String(value));
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }

  function fold(s) {
    return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase().trim();
  }

  function pad(n) {
    return String(n).padStart(2, '0');
  }

  /** "2025-08-31" -> "31/08/2025" */
  function viDate(iso) {
    if (!iso) return '';
    const [y, m, d] = iso.split('-');
    return `${d}/${m}/${y}`;
  }

  /** "31/8/2025", "31/08/2025" or "2025-08-31" -> "2025-08-31"; "" stays ""; anything else throws. */
  function isoFromUser(value, label) {
    const s = (value || '').trim();
    if (!s) return '';
    let y, m, d;
    let match = s.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/);
    if (match) [d, m, y] = [match[1], match[2], match[3]].map(Number);
    else if ((match = s.match(/^(\d{4})-(\d{2})-(\d{2})$/))) [y, m, d] = [match[1], match[2], match[3]].map(Number);
    const dt = y ? new Date(Date.UTC(y, m - 1, d)) : null;
    if (!dt || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) {
      throw new Error(`${label}: ngày không hợp lệ “${s}” (nhập theo dạng dd/mm/yyyy, ví dụ 31/12/2025).`);
    }
    return `${y}-${pad(m)}-${pad(d)}`;
  }

  function daysBetween(fromIso, toIso) {
    const a = Date.UTC(...fromIso.split('-').map((x, i) => Number(x) - (i === 1 ? 1 : 0)));
    const b = Date.UTC(...toIso.split('-').map((x, i) => Number(x) - (i === 1 ? 1 : 0)));
    return Math.round((b - a) / 86400000);
  }

  function monthLabel(ym) {
    const [y, m] = ym.split('-');
    return `Tháng ${Number(m)}/${y}`;
  }

  function shorten(text, n) {
    return text && text.length > n ? text.slice(0, n - 1).trimEnd() + '…' : text || '';
  }

  function encodeId(id) {
    return id.split('/').map(encodeURIComponent).join('/');
  }

  // ---------------------------------------------------------------- API access
  async function errorMessage(res) {
    try {
      const body = await res.json();
      if (body && body.error && body.error.message) return body.error.message;
    } catch (e) {
      /* not JSON: fall through */
    }
    if (res.status === 429) return 'Có quá nhiều yêu cầu. Vui lòng đợi một lát rồi thử lại.';
    if (res.status === 404) return 'Không tìm thấy dữ liệu được yêu cầu.';
    return `Máy chủ báo lỗi (mã ${res.status}). Vui lòng thử lại.`;
  }

  /** fetch with the session's key; a 401 signs the user out with a Vietnamese message. */
  async function api(path, options) {
    const key = sessionStorage.getItem(KEY_STORE);
    if (!key) {
      signOut('Phiên làm việc đã kết thúc. Vui lòng đăng nhập lại.');
      throw new AuthError();
    }
    const opts = Object.assign({ cache: 'no-store', credentials: 'same-origin' }, options || {});
    opts.headers = new Headers(opts.headers || {});
    opts.headers.set('X-API-Key', key);
    let res;
    try {
      res = await fetch(path, opts);
    } catch (e) {
      throw new Error('Không kết nối được với máy chủ. Vui lòng kiểm tra kết nối rồi thử lại.');
    }
    if (res.status === 401) {
      signOut('Khóa truy cập không đúng hoặc đã bị thu hồi. Vui lòng kiểm tra lại khóa và đăng nhập.');
      throw new AuthError();
    }
    if (!res.ok) throw new Error(await errorMessage(res));
    return res;
  }

  async function apiJson(path, options) {
    return (await api(path, options)).json();
  }

  /** Run an async handler; show its error in `target` (an element), ignore sign-outs. */
  async function guarded(target, fn) {
    if (target) target.hidden = true;
    try {
      return await fn();
    } catch (e) {
      if (e instanceof AuthError) return undefined;
      if (target) {
        target.textContent = e.message || 'Đã có lỗi xảy ra.';
        target.hidden = false;
      }
      return undefined;
    }
  }

  // ---------------------------------------------------------------- sign in / out and views
  function showView(name) {
    for (const v of ['signin', 'ask', 'register', 'timeline']) $(`view-${v}`).hidden = v !== name;
    for (const a of document.querySelectorAll('#tabs a')) {
      if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const signedIn = name !== 'signin';
    $('tabs').hidden = !signedIn;
    $('sign-out').hidden = !signedIn;
  }

  function route() {
    if (!sessionStorage.getItem(KEY_STORE)) {
      showView('signin');
      $('signin-key').focus();
      return;
    }
    const view = VIEWS[location.hash] || 'ask';
    showView(view);
    if (view === 'register' && !state.registerLoaded) loadRegister();
    if (view === 'timeline') showTimeline();
    if (view === 'ask') $('ask-q').focus();
  }

  async function signIn(ev) {
    ev.preventDefault();
    const key = $('signin-key').value.trim();
    const error = $('signin-error');
    error.hidden = true;
    if (!key) return;
    sessionStorage.setItem(KEY_STORE, key);
    $('signin-submit').disabled = true;
    try {
      await loadDocuments();
    } catch (e) {
      if (!(e instanceof AuthError)) {
        sessionStorage.removeItem(KEY_STORE);
        error.textContent = e.message;
        error.hidden = false;
      }
      return;
    } finally {
      $('signin-submit').disabled = false;
    }
    $('signin-key').value = '';
    if (!VIEWS[location.hash]) history.replaceState(null, '', '#hoi-dap');
    route();
  }

  /** Forget the key and everything shown with it; back to the sign-in form. */
  function signOut(message) {
    sessionStorage.removeItem(KEY_STORE);
    closeClause();
    Object.assign(state, {
      docs: [], allTasks: null, rows: [], total: 0, params: null, registerLoaded: false, shown: 0, showPast: false,
    });
    state.docOrder.clear();
    state.colours.clear();
    state.leadNames.clear();
    for (const id of ['ask-results', 'ask-status', 'register-counts', 'timeline-chart', 'timeline-legend',
      'timeline-list', 'timeline-note', 'lead-options', 'partner-options']) $(id).replaceChildren();
    document.querySelector('#register-table tbody').replaceChildren();
    $('f-doc').replaceChildren(h('option', { value: '' }, 'Tất cả văn bản'));
    $('f-province').replaceChildren(h('option', { value: '' }, 'Tất cả các tỉnh'));
    $('register-more').hidden = true;
    $('signin-key').value = '';
    const error = $('signin-error');
    error.textContent = message || '';
    error.hidden = !message;
    showView('signin');
    $('signin-key').focus();
  }

  // ---------------------------------------------------------------- documents, colours
  async function loadDocuments() {
    const docs = await apiJson('/documents');
    await loadPageConfig();
    state.docs = docs;
    state.docOrder = new Map(docs.map((d, i) => [d.doc_id, i]));
    const select = $('f-doc');
    const current = select.value;
    select.replaceChildren(h('option', { value: '' }, 'Tất cả văn bản'));
    for (const d of docs) {
      const label = `${d.number ? d.number + ' – ' : ''}${shorten(d.title, 90)} (${d.tasks} nhiệm vụ)`;
      select.append(h('option', { value: d.doc_id, title: d.title }, label));
    }
    select.value = current;
    const provinces = $('f-province');
    const chosen = provinces.value;
    provinces.replaceChildren(h('option', { value: '' }, 'Tất cả các tỉnh'));
    for (const p of [...new Set(docs.map((d) => d.province).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'vi'))) {
      provinces.append(h('option', { value: p }, p));
    }
    provinces.value = chosen;
  }

  function docTitle(docId) {
    const d = state.docs.find((x) => x.doc_id === docId);
    return d ? d.title : docId;
  }

  /** All tasks of the register (pages of FETCH_LIMIT), each with its position `_ord`. */
  async function fetchTasks(params) {
    const rows = [];
    let total = 0;
    for (let offset = 0; ; offset += FETCH_LIMIT) {
      const p = new URLSearchParams(params);
      p.set('sort', 'document');
      p.set('limit', String(FETCH_LIMIT));
      p.set('offset', String(offset));
      const res = await api('/tasks?' + p.toString());
      const page = await res.json();
      total = Number(res.headers.get('X-Total-Count') || page.length);
      rows.push(...page);
      if (page.length < FETCH_LIMIT || rows.length >= total) break;
    }
    rows.forEach((r, i) => { r._ord = i; });
    return { rows, total };
  }

  /** The unfiltered register once: body lists for the filter boxes and one colour per lead. */
  async function ensureAllTasks() {
    if (state.allTasks) return;
    const { rows } = await fetchTasks(new URLSearchParams());
    state.allTasks = rows;
    const counts = new Map();
    const partners = new Map();
    for (const r of rows) {
      if (r.lead) {
        const k = fold(r.lead);
        counts.set(k, (counts.get(k) || 0) + 1);
        if (!state.leadNames.has(k)) state.leadNames.set(k, r.lead);
      }
      for (const p of r.partners || []) {
        for (const part of p.split(/,\s*/)) {
          const name = part.trim();
          if (name.length > 3 && !partners.has(fold(name))) partners.set(fold(name), name);
        }
      }
    }
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    ranked.forEach(([k], i) => { if (i < PALETTE.length) state.colours.set(k, PALETTE[i]); });
    $('lead-options').replaceChildren(...ranked.map(([k]) => h('option', { value: state.leadNames.get(k) })));
    $('partner-options').replaceChildren(...[...partners.values()].sort((a, b) => a.localeCompare(b, 'vi'))
      .map((name) => h('option', { value: name })));
  }

  function colourOf(lead) {
    return state.colours.get(fold(lead)) || OTHER_COLOUR;
  }

  // ---------------------------------------------------------------- task status
  /** The service's status of a task (register/status.py: done, overdue, upcoming, recurring,
   *  undated, with its words), "upcoming" split into due within N days and later for the counts. */
  function statusOf(hit, days) {
    const dl = hit.deadline || {};
    const status = hit.status || (dl.due ? (dl.due < state.today ? 'overdue' : 'upcoming') : 'undated');
    const words = hit.status_label;
    if (status === 'done') return { key: 'done', label: words || 'Đã xong', rank: 4 };
    if (status === 'recurring') return { key: 'recurring', label: words || 'Thường xuyên', rank: 3 };
    if (status === 'undated') return { key: 'undated', label: words || 'Chưa có hạn cụ thể', rank: 3 };
    const left = daysBetween(state.today, dl.due);
    const ongoing = hit.mark && hit.mark.status === 'ongoing' ? ', đang thực hiện' : '';
    if (status === 'overdue') return { key: 'overdue', label: `Quá hạn ${-left} ngày${ongoing}`, rank: 0 };
    if (left <= days) {
      return { key: 'soon', label: (left === 0 ? 'Đến hạn hôm nay' : `Còn ${left} ngày`) + ongoing, rank: 1 };
    }
    return { key: 'later', label: words || 'Còn hạn', rank: 2 };
  }

  /** "Nearest deadline first", as the service sorts (register.status.nearest_key): upcoming
   *  soonest first, then overdue most recent first, then undated and recurring, then done. */
  function nearestKey(hit) {
    const st = hit.status;
    const due = (hit.deadline && hit.deadline.due) || '';
    if (st === 'upcoming') return [0, due];
    if (st === 'overdue') return [1, due];
    return [st === 'done' ? 3 : 2, ''];
  }

  function compareNearest(a, b) {
    const [ga, da] = nearestKey(a);
    const [gb, db] = nearestKey(b);
    if (ga !== gb) return ga - gb;
    return ga === 1 ? db.localeCompare(da) : da.localeCompare(db);
  }

  function statusBadge(hit) {
    const st = statusOf(hit, state.days);
    return h('span', { class: `badge status-${st.key}`, title: hit.mark ? `Đánh dấu bởi ${hit.mark.by}` : null },
      st.label);
  }

  // ---------------------------------------------------------------- highlighting
  function rangesOf(text, needle) {
    const out = [];
    if (!needle || needle.length < 2) return out;
    const hay = text.toLocaleLowerCase('vi');
    const pin = needle.toLocaleLowerCase('vi');
    if (hay.length !== text.length || pin.length !== needle.length) return out;
    for (let i = hay.indexOf(pin); i >= 0; i = hay.indexOf(pin, i + pin.length)) out.push([i, i + pin.length]);
    return out;
  }

  /** The clause text with what the question asked about wrapped in <mark> (as text nodes). */
  function highlighted(text, hit, intent) {
    let ranges = [];
    if (intent === 'lead' && hit.lead) ranges = rangesOf(text, hit.lead);
    else if (intent === 'deadline' && hit.deadline) ranges = rangesOf(text, hit.deadline.text);
    else if (intent === 'fact') {
      for (const m of text.matchAll(FIGURE)) ranges.push([m.index, m.index + m[1].length]);
    }
    ranges.sort((a, b) => a[0] - b[0]);
    const frag = document.createDocumentFragment();
    let at = 0;
    for (const [start, end] of ranges) {
      if (start < at) continue;
      frag.append(text.slice(at, start), h('mark', {}, text.slice(start, end)));
      at = end;
    }
    frag.append(text.slice(at));
    return frag;
  }

  // ---------------------------------------------------------------- answer cards
  function leadSourceNote(hit) {
    if (hit.lead_source === 'issuer') return h('span', { class: 'muted note' }, ' (cơ quan ban hành văn bản)');
    if (hit.lead_source === 'section') return h('span', { class: 'muted note' }, ' (theo đề mục)');
    return null;
  }

  function deadlineNode(hit) {
    const dl = hit.deadline;
    if (!dl || !dl.text) return h('span', { class: 'muted' }, 'Không ghi thời hạn');
    return [dl.text, dl.due ? h('span', { class: 'due' }, ` (hạn chót ${viDate(dl.due)})`) : null, ' ',
      statusBadge(hit)];
  }

  function citationButton(hit, label) {
    return h('button', {
      type: 'button', class: 'citation', title: 'Mở điều khoản trong văn bản gốc',
      onclick: (ev) => openClause(hit.clause_id, ev.currentTarget),
    }, label || hit.citation || hit.clause_id);
  }

  function facts(hit, intent) {
    const asked = (name) => (intent === name ? 'asked' : null);
    return h('dl', { class: 'facts' },
      h('dt', {}, 'Chủ trì'),
      h('dd', { class: asked('lead') }, hit.lead ? [hit.lead, leadSourceNote(hit)] : h('span', { class: 'muted' }, 'Không ghi')),
      h('dt', {}, 'Phối hợp'),
      h('dd', {}, hit.partners && hit.partners.length ? hit.partners.join('; ') : h('span', { class: 'muted' }, 'Không ghi')),
      h('dt', {}, 'Thời hạn'),
      h('dd', { class: asked('deadline') }, deadlineNode(hit)));
  }

  function card(hit, intent, primary) {
    const path = (hit.heading_path || []).join(' › ');
    return h('article', { class: 'card' + (primary ? ' primary' : ''), dataset: { clauseId: hit.clause_id } },
      h('header', {},
        h('p', { class: 'doc' }, shorten(hit.doc_title || docTitle(hit.doc_id), 140)),
        path ? h('p', { class: 'path' }, path) : null),
      h('p', { class: 'clause-text' }, h('span', { class: 'num' }, `Mục ${hit.number}. `),
        highlighted(hit.text || '', hit, intent)),
      facts(hit, intent),
      h('footer', {}, h('span', { class: 'muted' }, 'Nguồn: '), citationButton(hit)));
  }

  /** The bot's answer text, with its **bold** parts as <strong> (still text nodes). */
  function answerText(text) {
    const box = h('div', { class: 'answer-text' });
    for (const line of (text || '').split('\n')) {
      const p = h('p');
      line.split(/\*\*/).forEach((part, i) => p.append(i % 2 ? h('strong', {}, part) : part));
      box.append(p);
    }
    return box;
  }

  const FILTER_LABELS = {
    lead: 'Chủ trì', partner: 'Phối hợp', doc_id: 'Văn bản', due_after: 'Hạn từ', due_before: 'Hạn đến',
    status: 'Tình trạng',
  };
  const STATUS_LABELS = {
    overdue: 'Quá hạn', upcoming: 'Sắp đến hạn', undated: 'Chưa có hạn cụ thể', recurring: 'Thường xuyên',
    done: 'Đã xong', ongoing: 'Đang thực hiện',
  };

  function filterChips(filters) {
    const chips = [];
    for (const [k, label] of Object.entries(FILTER_LABELS)) {
      let v = filters[k];
      if (!v) continue;
      if (k === 'doc_id') v = shorten(docTitle(v), 60);
      if (k.startsWith('due_')) v = viDate(v);
      if (k === 'status') v = STATUS_LABELS[v] || v;
      chips.push(h('span', { class: 'chip' }, `${label}: ${v}`));
    }
    return chips;
  }

  function renderAnswer(data) {
    const out = $('ask-results');
    const hits = data.hits || [];
    out.replaceChildren();
    if (!data.answered) {
      out.append(h('div', { class: 'notice declined', role: 'note' },
        h('h2', {}, 'Không có câu trả lời'),
        h('p', {}, data.answer || 'Không tìm thấy điều khoản nào trong kho văn bản trả lời câu hỏi này.'),
        h('p', { class: 'muted' }, 'Hệ thống chỉ trả lời khi có điều khoản trong văn bản. Hãy thử hỏi cụ thể hơn: '
          + 'nêu tên việc, cơ quan hoặc số văn bản.')));
      if (hits.length) {
        out.append(h('details', { class: 'nearby' },
          h('summary', {}, `Các điều khoản gần nhất (${hits.length}) – chỉ để tham khảo, không phải câu trả lời`),
          hits.map((hit) => card(hit, null, false))));
      }
      return;
    }
    out.append(h('p', { class: 'intent' }, h('span', { class: 'chip' }, INTENTS[data.intent] || 'Câu hỏi')));
    if (data.intent === 'register') {
      const total = data.total !== undefined ? data.total : hits.length;
      out.append(h('div', { class: 'panel summary' },
        h('h2', {}, `Tìm thấy ${total} nhiệm vụ`),
        h('p', {}, filterChips(data.filters || {})),
        h('button', { type: 'button', onclick: () => openRegisterWith(data.filters || {}) },
          'Xem đầy đủ trong Sổ nhiệm vụ')));
      if (hits.length) out.append(h('h3', { class: 'section-title' }, `${hits.length} nhiệm vụ đến hạn sớm nhất`));
      out.append(...hits.map((hit) => card(hit, 'register', false)));
      return;
    }
    if (data.intent === 'list') {
      out.append(h('div', { class: 'panel summary' }, h('h2', {}, 'Trả lời'), answerText(data.answer)));
      out.append(h('h3', { class: 'section-title' }, 'Các điều khoản'));
      out.append(...hits.map((hit) => card(hit, 'list', false)));
      return;
    }
    if (hits.length) {
      out.append(h('h2', { class: 'section-title' }, 'Điều khoản trả lời'), card(hits[0], data.intent, true));
    }
    if (hits.length > 1) {
      out.append(h('details', { class: 'nearby' },
        h('summary', {}, `Điều khoản liên quan khác (${hits.length - 1})`),
        hits.slice(1).map((hit) => card(hit, data.intent, false))));
    }
  }

  async function ask(ev) {
    ev.preventDefault();
    const q = $('ask-q').value.trim();
    if (!q) return;
    const status = $('ask-status');
    status.className = 'status';
    status.textContent = 'Đang tìm trong kho văn bản…';
    $('ask-submit').disabled = true;
    $('ask-results').replaceChildren();
    try {
      const data = await apiJson('/ask', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ q, k: 5 }),
      });
      status.textContent = `Câu hỏi: “${data.question}”`;
      renderAnswer(data);
    } catch (e) {
      if (e instanceof AuthError) return;
      status.className = 'status notice error';
      status.textContent = e.message;
    } finally {
      $('ask-submit').disabled = false;
    }
  }

  // ---------------------------------------------------------------- the register
  function filterParams() {
    const f = $('filter-form');
    const p = new URLSearchParams();
    for (const name of ['lead', 'partner', 'doc', 'province', 'q']) {
      const v = f.elements[name].value.trim();
      if (v) p.set(name, v);
    }
    const after = isoFromUser(f.elements.due_after.value, 'Hạn từ ngày');
    const before = isoFromUser(f.elements.due_before.value, 'Hạn đến ngày');
    if (after && before && after > before) throw new Error('“Hạn từ ngày” phải trước hoặc bằng “Hạn đến ngày”.');
    if (after) p.set('due_after', after);
    if (before) p.set('due_before', before);
    const days = Number(f.elements.days.value || 30);
    if (!Number.isInteger(days) || days < 0 || days > 3660) throw new Error('Số ngày N phải là số nguyên từ 0 đến 3660.');
    const status = f.elements.status.value;
    if (status) p.set('status', status);
    p.set('days', String(days));
    return p;
  }

  async function loadRegister(ev) {
    if (ev) ev.preventDefault();
    const error = $('filter-error');
    await guarded(error, async () => {
      const params = filterParams();
      $('register-counts').textContent = 'Đang tải sổ nhiệm vụ…';
      if (!state.docs.length) await loadDocuments();
      await ensureAllTasks();
      const { rows, total } = await fetchTasks(params);
      Object.assign(state, { rows, total, params, days: Number(params.get('days')), registerLoaded: true });
      sortRows();
      renderRegister();
      if (!$('view-timeline').hidden) renderTimeline();
    });
    if (!error.hidden) $('register-counts').replaceChildren();
  }

  function sortRows() {
    const key = state.sortKey;
    const dir = state.sortDir;
    const due = (r) => (r.deadline && r.deadline.due) || '9999-99-99';
    const cmp = {
      due: compareNearest,
      lead: (a, b) => fold(a.lead || '\uffff').localeCompare(fold(b.lead || '\uffff'), 'vi'),
      status: (a, b) => statusOf(a, state.days).rank - statusOf(b, state.days).rank || due(a).localeCompare(due(b)),
      doc: () => 0,
    }[key];
    state.rows.sort((a, b) => dir * cmp(a, b) || a._ord - b._ord);
  }

  function renderCounts() {
    const counts = { overdue: 0, soon: 0, later: 0, undated: 0, recurring: 0, done: 0 };
    for (const r of state.rows) counts[statusOf(r, state.days).key] += 1;
    const all = state.allTasks ? state.allTasks.length : state.total;
    const box = $('register-counts');
    box.replaceChildren(
      h('strong', { class: 'count-main' }, `${state.total} nhiệm vụ`),
      ` khớp bộ lọc (trong tổng số ${all} nhiệm vụ của ${state.docs.length} văn bản) · Hôm nay: ${viDate(state.today)}`,
      h('span', { class: 'count-list' },
        h('span', { class: 'badge status-overdue' }, `Quá hạn: ${counts.overdue}`),
        h('span', { class: 'badge status-soon' }, `Đến hạn trong ${state.days} ngày: ${counts.soon}`),
        h('span', { class: 'badge status-later' }, `Còn hạn: ${counts.later}`),
        h('span', { class: 'badge status-undated' }, `Chưa có hạn cụ thể: ${counts.undated}`),
        h('span', { class: 'badge status-recurring' }, `Thường xuyên: ${counts.recurring}`),
        counts.done ? h('span', { class: 'badge status-done' }, `Đã xong: ${counts.done}`) : null));
  }

  function taskRow(r, i) {
    const dl = r.deadline;
    // data-label names each cell on a narrow screen, where a row is shown as a card (app.css)
    return h('tr', { dataset: { clauseId: r.clause_id } },
      h('td', { class: 'num' }, String(i + 1)),
      h('td', { class: 'text' }, h('div', { class: 'clamp', title: r.text }, r.text)),
      h('td', { class: 'lead', 'data-label': 'Chủ trì' },
        r.lead ? [h('span', { class: 'swatch', 'aria-hidden': 'true' }), r.lead] : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'partners', 'data-label': 'Phối hợp' },
        h('div', { class: 'clamp' }, (r.partners || []).join('; ') || '—')),
      h('td', { class: 'deadline', 'data-label': 'Thời hạn' }, dl && dl.text ? [h('div', {}, dl.text),
        dl.due ? h('div', { class: 'due' }, `Hạn chót: ${viDate(dl.due)}`) : null] : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'status', 'data-label': 'Tình trạng' }, statusBadge(r)),
      h('td', { class: 'docref', 'data-label': 'Văn bản' }, r.document || docTitle(r.doc_id),
        r.province ? h('div', { class: 'province' }, `Tỉnh ${r.province}`) : null),
      h('td', { class: 'source', 'data-label': 'Nguồn' }, citationButton(r)));
  }

  function renderRegister() {
    renderCounts();
    for (const th of document.querySelectorAll('#register-table th')) {
      const btn = th.querySelector('button[data-sort]');
      if (btn && btn.dataset.sort === state.sortKey && (state.sortKey !== 'doc' || th.cellIndex === 1)) {
        th.setAttribute('aria-sort', state.sortDir > 0 ? 'ascending' : 'descending');
      } else th.removeAttribute('aria-sort');
    }
    const body = document.querySelector('#register-table tbody');
    body.replaceChildren();
    state.shown = 0;
    if (!state.rows.length) {
      body.append(h('tr', {}, h('td', { colspan: '8', class: 'empty' }, 'Không có nhiệm vụ nào khớp bộ lọc.')));
    }
    showMoreRows();
  }

  function showMoreRows() {
    const body = document.querySelector('#register-table tbody');
    const next = state.rows.slice(state.shown, state.shown + PAGE_ROWS);
    next.forEach((r, j) => {
      const row = taskRow(r, state.shown + j);
      const swatch = row.querySelector('.swatch');
      if (swatch) swatch.style.backgroundColor = colourOf(r.lead);
      body.append(row);
    });
    state.shown += next.length;
    const more = $('register-more');
    more.hidden = state.shown >= state.rows.length;
    more.querySelector('button').textContent = `Hiển thị thêm (còn ${state.rows.length - state.shown} nhiệm vụ)`;
  }

  function onSort(ev) {
    const btn = ev.target.closest('button[data-sort]');
    if (!btn) return;
    const key = btn.dataset.sort;
    state.sortDir = state.sortKey === key ? -state.sortDir : 1;
    state.sortKey = key;
    sortRows();
    renderRegister();
  }

  function resetFilters() {
    $('filter-form').reset();
    $('f-days').value = '30';
    loadRegister();
  }

  function openRegisterWith(filters) {
    const f = $('filter-form');
    f.reset();
    f.elements.lead.value = filters.lead || '';
    f.elements.partner.value = filters.partner || '';
    f.elements.doc.value = filters.doc_id || '';
    f.elements.due_after.value = viDate(filters.due_after);
    f.elements.due_before.value = viDate(filters.due_before);
    f.elements.status.value = filters.status || '';
    state.registerLoaded = false;
    location.hash = '#so-nhiem-vu';
  }

  function filenameOf(res, format) {
    const cd = res.headers.get('Content-Disposition') || '';
    const star = cd.match(/filename\*=UTF-8''([^;]+)/i);
    if (star) return decodeURIComponent(star[1]);
    const plain = cd.match(/filename="?([^";]+)"?/i);
    return plain ? plain[1] : `so-nhiem-vu-${state.today}.${format}`;
  }

  async function exportRows(format) {
    const error = $('filter-error');
    const button = $(`export-${format}`);
    button.disabled = true;
    await guarded(error, async () => {
      const p = filterParams();
      p.set('format', format);
      p.set('sort', state.sortKey === 'doc' ? 'document' : 'nearest');
      const res = await api('/tasks/export?' + p.toString());
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: filenameOf(res, format), hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30000);
    });
    button.disabled = false;
  }

  // ---------------------------------------------------------------- the timeline
  function addMonths(ym, n) {
    const [y, m] = ym.split('-').map(Number);
    const t = y * 12 + (m - 1) + n;
    return `${Math.floor(t / 12)}-${pad((t % 12) + 1)}`;
  }

  async function showTimeline() {
    if (state.registerLoaded) renderTimeline();
    else await loadRegister(); // renders the timeline once the rows are in
  }

  function renderTimeline() {
    const dated = state.rows.filter((r) => r.deadline && r.deadline.due && r.status !== 'done')
      .sort((a, b) => a.deadline.due.localeCompare(b.deadline.due) || a._ord - b._ord);
    const thisMonth = state.today.slice(0, 7);
    const byMonth = new Map();
    for (const r of dated) {
      const ym = r.deadline.due.slice(0, 7);
      if (!byMonth.has(ym)) byMonth.set(ym, []);
      byMonth.get(ym).push(r);
    }
    const undated = state.rows.length - dated.length;
    const filtered = [...state.params.keys()].some((k) => k !== 'days');
    $('timeline-note').replaceChildren(
      `${dated.length} nhiệm vụ có ngày hạn chót, xếp theo tháng và tô màu theo cơ quan chủ trì. `,
      undated ? `${undated} nhiệm vụ không có ngày cụ thể (thường xuyên, theo điều kiện…) không hiện ở đây. ` : '',
      filtered ? h('strong', {}, 'Đang áp dụng bộ lọc của Sổ nhiệm vụ. ') : '',
      `Hôm nay: ${viDate(state.today)}.`);
    renderChart(byMonth, thisMonth);
    renderLegend(dated);
    renderMonthList(byMonth, thisMonth);
  }

  function renderChart(byMonth, thisMonth) {
    const chart = $('timeline-chart');
    chart.replaceChildren();
    if (!byMonth.size) {
      chart.append(h('p', { class: 'muted' }, 'Không có nhiệm vụ nào có ngày hạn chót.'));
      return;
    }
    const months = [...byMonth.keys()];
    // A window around today keeps the chart readable (from a year back to two years ahead,
    // trimmed to months that have tasks); what falls outside is counted beside it.
    const inWindow = months.filter((ym) => ym >= addMonths(thisMonth, -12) && ym <= addMonths(thisMonth, 24));
    let first = inWindow.length ? inWindow[0] : thisMonth;
    let last = inWindow.length ? inWindow[inWindow.length - 1] : thisMonth;
    if (thisMonth < first) first = thisMonth;
    if (thisMonth > last) last = thisMonth;
    let before = 0;
    let after = 0;
    for (const [ym, rows] of byMonth) {
      if (ym < first) before += rows.length;
      if (ym > last) after += rows.length;
    }
    let max = 1;
    for (let ym = first; ym <= last; ym = addMonths(ym, 1)) max = Math.max(max, (byMonth.get(ym) || []).length);
    const scale = 160 / max;
    const cols = h('div', { class: 'chart-cols' });
    if (before) cols.append(h('div', { class: 'chart-edge' }, `← ${before} việc trước ${monthLabel(first).toLowerCase()}`));
    for (let ym = first; ym <= last; ym = addMonths(ym, 1)) {
      const rows = byMonth.get(ym) || [];
      const groups = new Map();
      for (const r of rows) {
        const c = colourOf(r.lead);
        groups.set(c, (groups.get(c) || 0) + 1);
      }
      const stack = h('span', { class: 'stack' });
      for (const [colour, n] of groups) {
        const seg = h('span', { class: 'seg' });
        seg.style.height = `${Math.max(3, n * scale)}px`;
        seg.style.backgroundColor = colour;
        stack.append(seg);
      }
      const [y, m] = ym.split('-');
      const col = h('button', {
        type: 'button', class: 'chart-col' + (ym < thisMonth ? ' past' : '') + (ym === thisMonth ? ' current' : ''),
        title: `${monthLabel(ym)}: ${rows.length} nhiệm vụ`, 'aria-label': `${monthLabel(ym)}: ${rows.length} nhiệm vụ`,
        onclick: () => scrollToMonth(ym),
      },
      h('span', { class: 'count' }, rows.length ? String(rows.length) : ''), stack,
      h('span', { class: 'mlabel' }, `T${Number(m)}`),
      h('span', { class: 'ylabel' }, m === '01' || ym === first ? y : '\u00a0'));
      if (ym === thisMonth) {
        const [ty, tm, td] = state.today.split('-').map(Number);
        const dim = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
        const line = h('span', { class: 'today-line', title: `Hôm nay ${viDate(state.today)}` },
          h('span', { class: 'today-label' }, 'Hôm nay'));
        line.style.left = `${((td - 0.5) / dim) * 100}%`;
        col.append(line);
      }
      cols.append(col);
    }
    if (after) cols.append(h('div', { class: 'chart-edge' }, `${after} việc sau ${monthLabel(last).toLowerCase()} →`));
    chart.append(cols);
    scrollChartToToday();
  }

  /** The chart opens on today: its month is scrolled to the middle of the visible part (on a
   *  phone the window from a year back would otherwise show only past months). */
  function scrollChartToToday() {
    const chart = $('timeline-chart');
    const col = chart.querySelector('.chart-col.current');
    if (!col || !chart.clientWidth) return;
    const left = col.offsetLeft - chart.querySelector('.chart-cols').offsetLeft;
    chart.scrollLeft = Math.max(0, left - (chart.clientWidth - col.offsetWidth) / 2);
  }

  function renderLegend(rows) {
    const seen = new Map();
    let other = 0;
    for (const r of rows) {
      const k = fold(r.lead);
      if (state.colours.has(k)) seen.set(k, (seen.get(k) || 0) + 1);
      else other += 1;
    }
    const items = [...seen.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => {
      const sw = h('span', { class: 'swatch' });
      sw.style.backgroundColor = state.colours.get(k);
      return h('span', { class: 'legend-item' }, sw, `${state.leadNames.get(k)} (${n})`);
    });
    if (other) {
      const sw = h('span', { class: 'swatch' });
      sw.style.backgroundColor = OTHER_COLOUR;
      items.push(h('span', { class: 'legend-item' }, sw, `Cơ quan khác (${other})`));
    }
    $('timeline-legend').replaceChildren(...items);
  }

  function todayMarker() {
    return h('div', { class: 'today-marker', id: 'timeline-today' }, h('span', {}, `Hôm nay, ${viDate(state.today)}`));
  }

  function timelineItem(r) {
    const item = h('div', { class: 'tl-item', dataset: { clauseId: r.clause_id } },
      h('div', { class: 'tl-date' }, viDate(r.deadline.due)),
      h('div', { class: 'tl-main' },
        h('div', { class: 'tl-text clamp2', title: r.text }, r.text),
        h('div', { class: 'tl-meta' },
          h('span', { class: 'tl-lead' }, r.lead || 'Không ghi chủ trì'), ' · ', statusBadge(r), ' · ',
          citationButton(r))));
    item.style.borderLeftColor = colourOf(r.lead);
    return item;
  }

  function renderMonthList(byMonth, thisMonth) {
    const list = $('timeline-list');
    list.replaceChildren();
    const past = [...byMonth.entries()].filter(([ym]) => ym < thisMonth);
    const pastCount = past.reduce((n, [, rows]) => n + rows.length, 0);
    if (pastCount) {
      list.append(h('div', { class: 'past-toggle' },
        h('button', {
          type: 'button', class: 'secondary', 'aria-expanded': String(state.showPast),
          onclick: () => { state.showPast = !state.showPast; renderTimeline(); },
        }, state.showPast ? 'Ẩn các tháng đã qua'
          : `Hiện các tháng đã qua (${pastCount} nhiệm vụ có hạn trước tháng này)`)));
    }
    let markerPlaced = false;
    for (const [ym, rows] of byMonth) {
      if (ym < thisMonth && !state.showPast) continue;
      if (!markerPlaced && ym > thisMonth) {
        list.append(todayMarker());
        markerPlaced = true;
      }
      const section = h('section', { class: 'month', id: `thang-${ym}` },
        h('h3', {}, monthLabel(ym), h('span', { class: 'muted' }, ` · ${rows.length} nhiệm vụ`)));
      for (const r of rows) {
        if (!markerPlaced && ym === thisMonth && r.deadline.due >= state.today) {
          section.append(todayMarker());
          markerPlaced = true;
        }
        section.append(timelineItem(r));
      }
      list.append(section);
    }
    if (!markerPlaced) list.append(todayMarker());
  }

  function scrollToMonth(ym) {
    if (ym < state.today.slice(0, 7) && !state.showPast) {
      state.showPast = true;
      renderTimeline();
    }
    const el = $(`thang-${ym}`);
    if (el) el.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  // ---------------------------------------------------------------- a clause in its document
  function contextItem(c, current) {
    if (!current) {
      return h('li', {}, h('button', {
        type: 'button', class: 'sibling', title: 'Mở điều khoản này',
        onclick: () => openClause(c.clause_id),
      }, h('span', { class: 'num' }, `${c.number}. `), shorten(c.text, 240)));
    }
    const children = state.contextChildren || [];
    return h('li', { class: 'current', id: 'clause-current', 'aria-current': 'true' },
      h('p', { class: 'clause-text' }, h('span', { class: 'num' }, `Mục ${c.number}. `), c.text),
      facts(c, null),
      h('p', { class: 'cite' }, h('span', { class: 'muted' }, 'Trích dẫn: '), c.citation),
      children.length ? h('ol', { class: 'children' }, children.map((x) => contextItem(x, false))) : null);
  }

  async function openClause(clauseId, opener) {
    const panel = $('clause-panel');
    const body = $('clause-body');
    if (panel.hidden) state.lastFocus = opener || document.activeElement;
    panel.hidden = false;
    document.body.classList.add('modal-open');
    $('clause-doc-title').textContent = 'Đang tải điều khoản…';
    $('clause-doc-meta').textContent = '';
    body.replaceChildren();
    $('clause-close').focus();
    try {
      const ctx = await apiJson('/clauses/' + encodeId(clauseId));
      let order = null;
      if (ctx.parent) order = (await apiJson('/clauses/' + encodeId(ctx.parent.clause_id))).children;
      if (panel.hidden) return; // closed while loading
      const doc = ctx.document || {};
      $('clause-doc-title').textContent = doc.title || ctx.clause.doc_title || ctx.clause.doc_id;
      $('clause-doc-meta').textContent = [doc.kind ? doc.kind[0].toUpperCase() + doc.kind.slice(1) : null,
        doc.number ? `số ${doc.number}` : null, doc.date ? `ngày ${doc.date}` : null,
        doc.issuer ? `cơ quan ban hành: ${doc.issuer}` : null, doc.province ? `tỉnh ${doc.province}` : null]
        .filter(Boolean).join(' · ');
      state.contextChildren = ctx.children || [];
      const path = ctx.heading_path || [];
      if (path.length) {
        body.append(h('ol', { class: 'breadcrumb', 'aria-label': 'Vị trí trong văn bản' },
          path.map((p) => h('li', {}, p))));
      }
      const list = h('ol', { class: 'context-list' });
      if (order && order.some((c) => c.clause_id === clauseId)) {
        for (const c of order) list.append(contextItem(c.clause_id === clauseId ? ctx.clause : c, c.clause_id === clauseId));
        body.append(list);
      } else {
        list.append(contextItem(ctx.clause, true));
        body.append(list);
        if ((ctx.siblings || []).length) {
          body.append(h('details', { class: 'nearby' }, h('summary', {}, `Các mục cùng cấp khác (${ctx.siblings.length})`),
            h('ol', { class: 'context-list' }, ctx.siblings.map((c) => contextItem(c, false)))));
        }
      }
      const current = $('clause-current');
      if (current) current.scrollIntoView({ block: 'center' });
    } catch (e) {
      if (e instanceof AuthError) return;
      $('clause-doc-title').textContent = 'Không mở được điều khoản';
      body.replaceChildren(h('p', { class: 'notice error', role: 'alert' }, e.message));
    }
  }

  function closeClause() {
    const panel = $('clause-panel');
    if (panel.hidden) return;
    panel.hidden = true;
    document.body.classList.remove('modal-open');
    $('clause-body').replaceChildren();
    const back = state.lastFocus;
    state.lastFocus = null;
    if (back && document.contains(back)) back.focus();
  }

  // ---------------------------------------------------------------- start
  /** The service's "today" (sent with the key, so it works whether or not the route is public). */
  async function loadPageConfig() {
    try {
      const cfg = await apiJson('/web/config');
      if (cfg.today) state.today = cfg.today;
      if (cfg.upcoming_days !== undefined && !state.registerLoaded) {
        state.days = cfg.upcoming_days;
        $('f-days').value = String(state.days);
      }
    } catch (e) {
      if (e instanceof AuthError) throw e;
      /* keep the browser's own date */
    }
  }

  function browserToday() {
    const d = new Date();
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  async function start() {
    $('signin-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', () => signOut('Đã đăng xuất. Khóa truy cập đã được xóa khỏi trình duyệt.'));
    $('ask-form').addEventListener('submit', ask);
    $('filter-form').addEventListener('submit', loadRegister);
    $('f-status').addEventListener('change', () => loadRegister());
    $('f-doc').addEventListener('change', () => loadRegister());
    $('f-province').addEventListener('change', () => loadRegister());
    $('f-reset').addEventListener('click', resetFilters);
    $('export-csv').addEventListener('click', () => exportRows('csv'));
    $('export-xlsx').addEventListener('click', () => exportRows('xlsx'));
    $('export-docx').addEventListener('click', () => exportRows('docx'));
    document.querySelector('#register-table thead').addEventListener('click', onSort);
    $('register-more').querySelector('button').addEventListener('click', showMoreRows);
    $('clause-close').addEventListener('click', closeClause);
    $('clause-panel').addEventListener('click', (ev) => { if (ev.target === $('clause-panel')) closeClause(); });
    document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') closeClause(); });
    window.addEventListener('hashchange', route);
    state.today = browserToday();
    $('app-loading').hidden = true;
    if (sessionStorage.getItem(KEY_STORE)) {
      const ok = await guarded(null, async () => { await loadDocuments(); return true; });
      if (!ok && sessionStorage.getItem(KEY_STORE)) {
        signOut('Không tải được dữ liệu. Vui lòng đăng nhập lại.');
        return;
      }
    }
    route();
  }

  start();
}());
