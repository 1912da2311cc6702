// The upload page: no build step, no framework. It talks to the upload API and to S3 across
// origins, as a web app served from its own domain would.
'use strict';

const $ = (id) => document.getElementById(id);
let config = null;
let current = null; // { token, userId }
let watching = null; // videoId being watched

const ms = (v) => (v === null || v === undefined ? '—' : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`);
// The status API's id for a key: base64url of the key, no padding.
const videoIdOf = (key) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(key))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function showError(message) {
  $('error').textContent = message || '';
}

async function api(path, options = {}) {
  const base = config.uploadsEndpoint;
  const response = await fetch(base + path, {
    ...options,
    headers: { Authorization: `Bearer ${current.token}`, ...(options.headers || {}) },
  });
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    // The API words its refusals; show them as they are.
    const message = body && (body.message || body.error);
    throw new Error(message || `the API answered ${response.status}`);
  }
  return body;
}

// S3 answers errors in XML: <Error><Code>AccessDenied</Code><Message>Request has expired</Message>.
function s3Error(xhr) {
  const text = xhr.responseText || '';
  const code = /<Code>([^<]*)<\/Code>/.exec(text);
  const message = /<Message>([^<]*)<\/Message>/.exec(text);
  if (message) return `S3 refused the upload: ${message[1]}${code ? ` (${code[1]})` : ''}`;
  return xhr.status === 0
    ? 'S3 refused the upload before it started (CORS preflight or network)'
    : `S3 refused the upload with status ${xhr.status}`;
}

function put(url, headers, file) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    // Every signed header goes with the PUT (Content-Type, If-None-Match: * that makes the URL
    // single-use); Content-Length is the browser's to set: it sends the file's size, which the URL
    // was signed for.
    Object.entries(headers).forEach(([name, value]) => {
      if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
    });
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) {
        const pct = Math.round((100 * e.loaded) / e.total);
        $('progress').value = pct;
        $('progress-text').textContent = `${pct}%`;
      }
    };
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve(xhr.getResponseHeader('ETag')) : reject(new Error(s3Error(xhr))));
    xhr.onerror = () => reject(new Error(s3Error(xhr)));
    xhr.send(file);
  });
}

async function upload() {
  const file = $('file').files[0];
  if (!file) return;
  showError('');
  $('upload').disabled = true;
  $('progress').value = 0;
  $('progress-text').textContent = '';
  try {
    const presigned = await api('', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fileName: file.name, contentType: file.type || 'application/octet-stream', sizeBytes: file.size }),
    });
    const etag = await put(presigned.url, presigned.headers, file);
    $('progress-text').textContent = `uploaded (ETag ${etag || 'hidden'})`;
    watching = videoIdOf(presigned.key);
    document.body.dataset.videoId = watching;
    $('outputs').textContent = '';
    await refreshVideo();
  } catch (e) {
    showError(e.message);
  } finally {
    $('upload').disabled = false;
  }
}

function renderOutputs(outputs) {
  const box = $('outputs');
  box.textContent = '';
  for (const output of outputs || []) {
    if (output.kind === 'thumbnail') {
      const img = document.createElement('img');
      img.src = output.url;
      img.alt = output.name;
      img.className = 'thumbnail';
      box.appendChild(img);
    }
    const link = document.createElement('a');
    link.href = output.url;
    link.className = `output ${output.kind}`;
    link.textContent = `${output.kind}: ${output.name}${output.width ? ` (${output.width}×${output.height})` : ''}`;
    box.appendChild(link);
  }
}

async function refreshVideo() {
  if (!watching) return;
  try {
    const video = await api(`/${watching}`);
    $('status').textContent = video.status;
    $('tier').textContent = video.tier || '—';
    $('wait').textContent = video.queueWaitMillis !== undefined ? ms(video.queueWaitMillis)
      : video.waitingMillis !== undefined ? `${ms(video.waitingMillis)} so far` : '—';
    $('reason').textContent = video.reason || '—';
    if (video.status === 'DONE' && !$('outputs').hasChildNodes()) renderOutputs(video.outputs);
  } catch (e) {
    showError(e.message);
  }
}

async function refreshRecent() {
  if (!current) return;
  try {
    const page = await api('?limit=10');
    const body = $('recent').querySelector('tbody');
    body.textContent = '';
    for (const v of page.videos) {
      const row = body.insertRow();
      [v.fileName || v.key, v.status, v.tier || '—', v.createdAt || '—', ms(v.queueWaitMillis)].forEach((text) => {
        row.insertCell().textContent = text;
      });
    }
  } catch (e) {
    showError(e.message);
  }
}

async function refreshTiers() {
  try {
    const tiers = await (await fetch('/local/tiers')).json();
    const body = $('tiers').querySelector('tbody');
    body.textContent = '';
    for (const t of tiers) {
      const row = body.insertRow();
      row.dataset.tier = t.tier;
      [t.tier, t.depth, t.dlqDepth, t.waiting, ms(t.oldestWaitMillis), t.done, ms(t.p50WaitMillis), ms(t.maxWaitMillis)]
        .forEach((text) => { row.insertCell().textContent = String(text); });
    }
    $('tiers-updated').textContent = new Date().toLocaleTimeString();
  } catch (e) {
    // The tier table is local-only; a hiccup shows as a stale time.
  }
}

function signIn() {
  const user = config.users.find((u) => u.userId === $('user').value);
  current = user;
  $('signed-in').textContent = `signed in as ${user.userId} (${user.subscription})`;
  $('upload').disabled = false;
  refreshRecent();
}

async function start() {
  config = await (await fetch('/config.json')).json();
  for (const user of config.users) {
    const option = document.createElement('option');
    option.value = user.userId;
    option.textContent = `${user.userId} (${user.subscription})`;
    $('user').appendChild(option);
  }
  $('user').addEventListener('change', signIn);
  $('upload').addEventListener('click', upload);
  signIn();
  refreshTiers();
  setInterval(refreshTiers, 1000);
  setInterval(() => { refreshVideo(); refreshRecent(); }, 1000);
  document.body.dataset.ready = 'true';
}

start().catch((e) => showError(`the page could not start: ${e.message}`));
