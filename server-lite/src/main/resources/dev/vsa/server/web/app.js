// vsa's web app: plain ES modules over the public API only. The session lives in HttpOnly cookies set by
// POST /auth/session; writes echo the vsa_csrf cookie in X-CSRF-Token. No token is ever put in a URL or storage.
const main = document.getElementById("main");
const nav = document.getElementById("nav");
let me = null;
let cleanup = [];

// ---------- small DOM helper ----------
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function bytes(n) {
  if (n == null) return "";
  const u = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1000 && i < u.length - 1) { n /= 1000; i++; }
  return (i === 0 ? n : n.toFixed(n < 10 ? 2 : 1)) + " " + u[i];
}

function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

// ---------- API ----------
// The API's links (files, thumbnails) name its public URL or bind address, e.g. http://127.0.0.1:8000, while the
// page may have been opened as http://localhost:8000: another origin to the CSP and the cookies. This page and the
// API are one server, so the page follows a link by its path, on its own origin.
function here(url) {
  const u = new URL(url, location.href);
  return u.pathname + u.search;
}

/** A viewer candidate (viewer.js's viewable) whose file the viewer fetches from this origin. */
function fetchedHere(c) {
  return { ...c, file: { ...c.file, url: here(c.file.url) } };
}

function csrf() {
  const m = document.cookie.match(/(?:^|; )vsa_csrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : "";
}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem && (problem.detail || problem.title) || "request failed (" + status + ")");
    this.status = status;
    this.problem = problem;
  }
}

let refreshing = null;
async function refreshSession() {
  if (!csrf()) return false;
  refreshing = refreshing || fetch("/auth/session/refresh", {
    method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf() },
  }).then((r) => r.ok).finally(() => { setTimeout(() => { refreshing = null; }, 0); });
  return refreshing;
}

async function api(method, path, body, retry = true) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrf();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const r = await fetch(path, {
    method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status === 401 && retry && !path.startsWith("/auth/") && await refreshSession()) {
    return api(method, path, body, false);
  }
  if (r.status === 401 && !path.startsWith("/auth/")) {
    me = null;
    go("#/signin");
    throw new ApiError(401, { detail: "please sign in" });
  }
  if (r.status === 204) return null;
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = { detail: text }; }
  if (!r.ok) throw new ApiError(r.status, json);
  return json;
}

// ---------- routing ----------
function go(hash) {
  if (location.hash !== hash) location.hash = hash;
  else route();
}

function setNav() {
  nav.replaceChildren();
  if (me) {
    nav.append(h("a", { href: "#/" , class: "navlink" }, "My scenes"), h("span", {}, me.username),
      h("button", { onclick: signOut, id: "signout" }, "Sign out"));
  } else {
    nav.append(h("a", { href: "#/signin" }, "Sign in"), h("a", { href: "#/signup" }, "Create account"));
  }
}

let viewGeneration = 0; // bumped on every route: late async work of a page left behind disposes itself

async function route() {
  viewGeneration++;
  cleanup.forEach((f) => { try { f(); } catch (e) { /* gone */ } });
  cleanup = [];
  const hash = location.hash || "#/";
  if (hash === "#/signup") return signUpView();
  if (hash === "#/signin") return signInView();
  const shared = hash.match(/^#\/share\/([A-Za-z0-9_-]{20,100})$/);
  if (shared) return shareView(shared[1]);
  if (!me) return go("#/signin");
  const m = hash.match(/^#\/scenes\/([^/]+)$/); // any id: a wrong one is said to be wrong, not a silent list
  if (m) return sceneView(m[1]);
  return listView();
}

async function start() {
  try {
    // No CSRF cookie: no session (it lives as long as the refresh token), so no need to ask.
    if (!csrf()) throw new Error("no session");
    me = await fetch("/me", { credentials: "same-origin" }).then(async (r) => {
      if (r.ok) return r.json();
      if (r.status === 401 && await refreshSession()) {
        const again = await fetch("/me", { credentials: "same-origin" });
        return again.ok ? again.json() : null;
      }
      return null;
    });
  } catch (e) {
    me = null;
  }
  setNav();
  window.addEventListener("hashchange", route);
  route();
}

// ---------- sign up / sign in ----------
function authForm(title, fields, submitLabel, onSubmit, switchLink) {
  const error = h("p", { class: "error", role: "alert" });
  const button = h("button", { class: "primary", type: "submit", id: "submit" }, submitLabel);
  const form = h("form", {
    class: "auth", onsubmit: async (e) => {
      e.preventDefault();
      error.textContent = "";
      button.disabled = true;
      const values = Object.fromEntries(new FormData(form).entries());
      try {
        await onSubmit(values);
      } catch (err) {
        error.textContent = err.message;
      } finally {
        button.disabled = false;
      }
    },
  }, h("h1", {}, title),
  fields.map(([name, label, type, auto]) => [h("label", { for: name }, label),
    h("input", { id: name, name, type, required: true, autocomplete: auto })]),
  button, error, h("p", { class: "switch" }, switchLink));
  main.replaceChildren(form);
  form.querySelector("input").focus();
}

function signInView() {
  if (me) return go("#/");
  authForm("Sign in", [["username", "Username", "text", "username"], ["password", "Password", "password", "current-password"]],
    "Sign in", async (v) => {
      me = await api("POST", "/auth/session", { username: v.username, password: v.password });
      setNav();
      go("#/");
    }, ["New here? ", h("a", { href: "#/signup" }, "Create an account")]);
}

function signUpView() {
  if (me) return go("#/");
  authForm("Create an account", [["username", "Username", "text", "username"], ["email", "Email", "email", "email"],
    ["password", "Password (8 characters or more)", "password", "new-password"]],
  "Create account", async (v) => {
    await api("POST", "/auth/signup", v);
    me = await api("POST", "/auth/session", { username: v.username, password: v.password });
    setNav();
    go("#/");
  }, ["Already have an account? ", h("a", { href: "#/signin" }, "Sign in")]);
}

async function signOut() {
  try { await api("DELETE", "/auth/session"); } catch (e) { /* signed out anyway */ }
  me = null;
  setNav();
  go("#/signin");
}

// ---------- upload ----------
const SCENE_EXT = ["ply", "splat", "spz", "ksplat", "sog", "glb", "gltf", "zip"];
const extOf = (n) => n.slice(n.lastIndexOf(".") + 1).toLowerCase();

/** Files (with their relative paths) -> uploads: a .gltf with every resource file, any other scene file alone. */
function planUploads(entries) {
  const gltfs = entries.filter((e) => extOf(e.path) === "gltf");
  const resources = entries.filter((e) => !SCENE_EXT.includes(extOf(e.path)));
  const plans = gltfs.map((g) => {
    const dir = g.path.includes("/") ? g.path.slice(0, g.path.lastIndexOf("/") + 1) : "";
    const strip = (p) => (dir && p.startsWith(dir) ? p.slice(dir.length) : p);
    return { label: strip(g.path), parts: [g, ...resources].map((e) => ({ file: e.file, name: strip(e.path) })) };
  });
  for (const e of entries) {
    if (SCENE_EXT.includes(extOf(e.path)) && extOf(e.path) !== "gltf") {
      plans.push({ label: e.path.slice(e.path.lastIndexOf("/") + 1), parts: [{ file: e.file, name: e.path.slice(e.path.lastIndexOf("/") + 1) }] });
    }
  }
  if (!plans.length && entries.length) {
    plans.push(...entries.map((e) => ({ label: e.path, parts: [{ file: e.file, name: e.path }] })));
  }
  return plans;
}

/** Walks dropped folders (webkitGetAsEntry) into {file, path}. */
async function droppedEntries(dataTransfer) {
  const out = [];
  const walk = async (entry, prefix) => {
    if (entry.isFile) {
      const file = await new Promise((res, rej) => entry.file(res, rej));
      out.push({ file, path: prefix + file.name });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      let batch;
      do {
        batch = await new Promise((res, rej) => reader.readEntries(res, rej));
        for (const child of batch) await walk(child, prefix + entry.name + "/");
      } while (batch.length);
    }
  };
  const items = [...(dataTransfer.items || [])].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
  if (items.length) {
    for (const it of items) await walk(it, "");
  } else {
    for (const f of dataTransfer.files) out.push({ file: f, path: f.name });
  }
  return out;
}

function uploadOne(plan, row) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const p of plan.parts) form.append("file", p.file, p.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/upload/");
    xhr.setRequestHeader("X-CSRF-Token", csrf());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) {
        row.bar.value = Math.round((100 * e.loaded) / e.total);
        row.text.textContent = bytes(e.loaded) + " of " + bytes(e.total);
      }
    };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = { detail: xhr.responseText }; }
      if (xhr.status === 201) {
        row.bar.value = 100;
        row.text.textContent = "uploaded";
        resolve(body);
      } else {
        reject(new ApiError(xhr.status, body));
      }
    };
    xhr.onerror = () => reject(new Error("network error"));
    xhr.send(form);
  });
}

async function uploadAll(entries, list, onUploaded) {
  for (const plan of planUploads(entries)) {
    const row = { bar: h("progress", { max: 100, value: 0 }), text: h("span", { class: "muted" }, "waiting") };
    list.append(h("div", { class: "upload-row" }, h("span", { class: "name" }, plan.label), row.bar, row.text));
    try {
      const res = await uploadOne(plan, row);
      onUploaded(res);
    } catch (e) {
      row.text.textContent = e.message;
      row.text.className = "error";
    }
  }
}

function uploadBox(onUploaded) {
  const list = h("div", { class: "uploads", id: "uploads" });
  const files = h("input", { type: "file", multiple: true, id: "file-input", hidden: true,
    accept: SCENE_EXT.map((e) => "." + e).join(",") + ",.bin,.png,.jpg,.jpeg,.webp,.ktx2" });
  const folder = h("input", { type: "file", id: "folder-input", hidden: true });
  folder.webkitdirectory = true;
  const pick = (input) => () => input.click();
  const take = (input) => () => {
    const entries = [...input.files].map((f) => ({ file: f, path: f.webkitRelativePath || f.name }));
    input.value = "";
    uploadAll(entries, list, onUploaded);
  };
  files.addEventListener("change", take(files));
  folder.addEventListener("change", take(folder));
  const drop = h("div", { class: "drop", id: "dropzone" },
    h("p", {}, h("strong", {}, "Drop scene files or a folder here")),
    h("p", { class: "hint" }, "Gaussian splats (.ply, .splat, .spz, .ksplat, .sog) or glTF (.glb; a .gltf with its .bin and textures, or a folder)"),
    h("div", { class: "pick" }, h("button", { type: "button", onclick: pick(files) }, "Choose files"),
      h("button", { type: "button", onclick: pick(folder) }, "Choose a folder")),
    files, folder);
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", async (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    uploadAll(await droppedEntries(e.dataTransfer), list, onUploaded);
  });
  return h("section", {}, drop, list);
}

// ---------- live status (server-sent events) ----------
// A browser opens at most 6 HTTP/1.1 connections to a server, and each open event stream holds one: at most
// MAX_STREAMS are followed at once, the rest wait their turn (so API calls never queue behind streams).
const MAX_STREAMS = 3;
let openStreams = 0;
const waiting = [];

function follow(jobId, onEvent, onEnd) {
  let es = null;
  let cancelled = false;
  const release = () => {
    if (es) {
      es.close();
      es = null;
      openStreams--;
      const next = waiting.shift();
      if (next) next();
    }
  };
  const open = () => {
    if (cancelled) return;
    openStreams++;
    es = new EventSource("/jobs/" + jobId + "/events"); // same origin: the session cookie goes along
    es.addEventListener("progress", (e) => onEvent(JSON.parse(e.data)));
    es.addEventListener("end", (e) => { release(); onEnd(JSON.parse(e.data)); });
    es.onerror = () => {
      // The stream broke or the access token expired: refresh the session and follow again.
      release();
      refreshSession().then((ok) => { if (ok && !cancelled) setTimeout(open, 500); });
    };
  };
  if (openStreams < MAX_STREAMS) open();
  else waiting.push(open);
  return () => {
    cancelled = true;
    const i = waiting.indexOf(open);
    if (i >= 0) waiting.splice(i, 1);
    release();
  };
}

const SETTLED = ["ready", "invalid", "failed"];

// ---------- scene list ----------
function card(s) {
  const thumb = h("div", { class: "thumb" });
  // ?redirect=false: the bytes from this origin (the CSP allows no other, e.g. the bucket of a presigned URL)
  if (s.thumbnail_url) {
    thumb.classList.add("picture");
    thumb.append(h("img", { src: here(s.thumbnail_url) + "?redirect=false", alt: "", loading: "lazy" }));
  }
  else thumb.append(h("span", {}, (s.format || "scene").toUpperCase()));
  const badge = h("span", { class: "badge " + s.status, "data-status": s.status }, s.status);
  const bar = h("progress", { max: 100, value: 0, hidden: SETTLED.includes(s.status) });
  const el = h("a", { class: "card", href: "#/scenes/" + s.id, "data-scene": s.id },
    thumb, h("div", { class: "body" }, h("div", { class: "name", title: s.filename }, s.filename),
      h("div", { class: "meta" }, h("span", {}, bytes(s.size)), badge), bar));
  return { el, badge, bar };
}

async function listView() {
  const grid = h("div", { class: "grid", id: "scenes" });
  const cards = new Map();
  const put = (s, prepend) => {
    const c = card(s);
    const old = cards.get(s.id);
    if (old) old.el.replaceWith(c.el);
    else if (prepend) grid.prepend(c.el);
    else grid.append(c.el);
    cards.set(s.id, c);
    empty.hidden = true;
    if (!SETTLED.includes(s.status) && s.latest_job_id) {
      cleanup.push(follow(s.latest_job_id, (job) => {
        c.bar.value = job.progress;
        c.badge.textContent = job.stage ? s.status + " - " + job.stage : s.status;
      }, async () => {
        put(await api("GET", "/scenes/" + s.id), false);
      }));
    }
  };
  const empty = h("p", { class: "empty" }, "No scenes yet: drop a file above.");
  main.replaceChildren(h("h1", {}, "My scenes"), uploadBox(async (res) => {
    put(await api("GET", "/scenes/" + res.scene_id), true);
  }), h("h2", {}, "Scenes"), empty, grid);
  try {
    const page = await api("GET", "/scenes?limit=100");
    page.items.forEach((s) => put(s, false));
    empty.hidden = page.items.length > 0;
  } catch (e) {
    empty.textContent = e.message;
  }
}

// ---------- scene page ----------
const LABELS = {
  kind: "Kind", format: "Format", formatVersion: "Format version", variant: "Variant", gaussianSplatting: "Gaussian splats",
  count: "Splats", splats: "Splats", splatCount: "Splats", splatFormat: "Splat format", shDegree: "SH degree", vertices: "Vertices", triangles: "Triangles",
};
const label = (k) => LABELS[k] || k.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
const fmt = (v) => {
  if (v === null || v === undefined) return "-";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString() : v.toPrecision(4);
  if (Array.isArray(v)) return v.every((x) => typeof x !== "object") ? "(" + v.map(fmt).join(", ") + ")" : v.length + " items";
  if (typeof v === "object") return Object.entries(v).map(([k, x]) => k + " " + fmt(x)).join(", ");
  return String(v);
};

/** The processing options in one line: "spz, glb · sort=morton · RUB to RDF · SPZ 3". */
function processingSummary(o) {
  const parts = [(o.outputs || []).join(", ")];
  if (o.transforms && o.transforms.length) parts.push(o.transforms.join(" "));
  if (o.from_frame) parts.push(o.from_frame + " to " + o.to_frame);
  if (o.spz_version) parts.push("SPZ " + o.spz_version);
  return parts.join(" \u00b7 ");
}

function kv(obj) {
  const dl = h("dl", { class: "kv" });
  for (const [k, v] of Object.entries(obj || {})) {
    if (Array.isArray(v) && v.some((x) => x && typeof x === "object")) continue; // tables (e.g. PLY columns): in the report
    if (k === "gaussianSplatting" && obj.kind === "splat") continue;
    if (k === "preview" && v && typeof v === "object" && !v.error && !v.reason) continue; // the picture speaks for itself
    if (v && typeof v === "object" && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v)) dl.append(h("dt", {}, label(k) + ": " + label(k2)), h("dd", {}, fmt(v2)));
    } else {
      dl.append(h("dt", {}, label(k)), h("dd", {}, fmt(v)));
    }
  }
  return dl;
}

function issuesList(validation) {
  const ul = h("ul", { class: "issues" });
  const add = (sev, item) => {
    const text = typeof item === "string" ? item : (item.message || JSON.stringify(item));
    const code = typeof item === "object" && item.code ? item.code : null;
    const where = typeof item === "object" && item.pointer ? item.pointer : null;
    ul.append(h("li", {}, h("span", { class: "sev " + sev }, sev), text, code ? [" ", h("code", {}, code)] : null,
      where ? [" ", h("code", {}, "at " + where)] : null));
  };
  for (const [k, v] of Object.entries(validation || {})) {
    if (!Array.isArray(v)) continue;
    const sev = /error/i.test(k) ? "error" : /warn/i.test(k) ? "warning" : "info";
    v.forEach((item) => add(typeof item === "object" && item.severity ? String(item.severity).toLowerCase() : sev, item));
  }
  return ul;
}

function validationPanel(scene) {
  const v = scene.validation;
  const panel = h("section", { class: "panel", id: "validation" }, h("h2", {}, "Validation"));
  if (!v) {
    panel.append(h("p", { class: "muted" }, SETTLED.includes(scene.status) ? "No report." : "Not checked yet."));
    return panel;
  }
  const n = (k) => (typeof v[k] === "number" ? v[k] : 0);
  const plural = (c, word) => c + " " + word + (c === 1 ? "" : "s");
  if (v.valid === null || v.valid === undefined) {
    panel.append(h("p", {}, h("span", { class: "badge" }, "not validated"), " ", v.note || ""));
  } else {
    const counts = [[n("numErrors"), "error"], [n("numWarnings"), "warning"], [n("numInfos"), "info"], [n("numHints"), "hint"]]
      .filter(([c]) => c > 0).map(([c, w]) => plural(c, w));
    panel.append(h("p", {}, h("span", { class: "badge " + (v.valid ? "ready" : "invalid") }, v.valid ? "valid" : "invalid"),
      " ", counts.length ? counts.join(", ") : "no issues found"));
  }
  const issues = issuesList(v);
  if (issues.children.length) panel.append(issues);
  if (v.truncated) panel.append(h("p", { class: "muted" }, "More issues in the full report (validation.json below)."));
  return panel;
}

async function sceneView(id) {
  main.replaceChildren(h("p", { class: "muted" }, "Loading..."));
  let scene;
  try {
    scene = await api("GET", "/scenes/" + encodeURIComponent(id));
  } catch (e) {
    const text = e.status === 404 ? "There is no scene " + id + " in your account: it may have been deleted, or the "
      + "link is wrong." : e.message;
    main.replaceChildren(h("p", { class: "error", id: "scene-error" }, text), h("a", { href: "#/" }, "Back to my scenes"));
    return;
  }
  const overlay = h("div", { class: "overlay", id: "viewer-status" }, "");
  const viewer = h("div", { class: "viewer", id: "viewer" }, overlay,
    h("div", { class: "help" }, "drag: orbit - right-drag: pan - wheel: zoom"));
  const toast = h("p", { class: "toast", role: "status" });
  const badge = h("span", { class: "badge " + scene.status, id: "scene-status", "data-status": scene.status }, scene.status);
  const share = h("button", { id: "share", onclick: async () => {
    try {
      const link = await api("POST", "/scenes/" + id + "/shares", { expires_in_hours: 168 });
      toast.replaceChildren("Read-only link for 7 days: ", h("a", { href: link.viewer_url, id: "share-link" }, link.viewer_url));
      if (navigator.clipboard) navigator.clipboard.writeText(link.viewer_url).catch(() => {});
    } catch (e) { toast.textContent = e.message; }
  } }, "Share");
  const del = h("button", { class: "danger", id: "delete", onclick: async () => {
    if (!confirm("Delete " + scene.filename + " and all its files?")) return;
    try {
      await api("DELETE", "/scenes/" + id);
      go("#/");
    } catch (e) { toast.textContent = e.message; }
  } }, "Delete");

  const files = h("ul", { class: "files", id: "files" });
  for (const f of scene.files || []) {
    files.append(h("li", {}, h("span", { class: "fname" }, f.name.replace(/^original\//, ""),
      " ", h("span", { class: "badge" }, f.kind)), h("span", { class: "fsize" }, bytes(f.size)),
    h("a", { class: "button", href: here(f.url), download: f.name.slice(f.name.lastIndexOf("/") + 1), "data-file": f.name }, "Download")));
  }

  const target = h("select", { id: "convert-to" }, ["spz", "glb", "ply", "splat"].map((t) => h("option", { value: t }, "." + t)));
  const convertBtn = h("button", { class: "primary", id: "convert", disabled: scene.status !== "ready", onclick: async () => {
    convertBtn.disabled = true;
    try {
      const job = await api("POST", "/scenes/" + id + "/conversions", { to: target.value });
      toast.textContent = "Converting to ." + target.value + "...";
      cleanup.push(follow(job.job_id, (j) => { toast.textContent = "Converting: " + j.progress + "% " + (j.stage || ""); },
        (j) => {
          toast.textContent = j.state === "succeeded" ? "Conversion done." : "Conversion " + j.state + (j.error ? ": " + j.error : "");
          if (j.state === "succeeded") route(); // the new file joins the list
        }));
    } catch (e) {
      toast.textContent = e.message;
    } finally {
      convertBtn.disabled = false;
    }
  } }, "Convert");

  const info = h("dl", { class: "kv" },
    h("dt", {}, "Uploaded"), h("dd", {}, when(scene.created_at)),
    h("dt", {}, "Size"), h("dd", {}, bytes(scene.size)),
    h("dt", {}, "Format"), h("dd", {}, scene.format || "-"),
    scene.sha256 ? [h("dt", {}, "SHA-256"), h("dd", { class: "muted" }, scene.sha256.slice(0, 16) + "...")] : null,
    scene.processing_options ? [h("dt", {}, "Processing"), h("dd", { id: "processing-options" }, processingSummary(scene.processing_options))] : null);

  main.replaceChildren(...[
    h("div", { class: "scene-head" }, h("a", { href: "#/" }, "\u2190 My scenes"), h("h1", {}, scene.filename), badge,
      h("div", { class: "actions" }, share, del)),
    scene.error ? h("p", { class: "error" }, scene.error) : null,
    h("div", { class: "scene-layout" },
      h("div", {}, viewer, toast,
        h("section", { class: "panel" }, h("h2", {}, "Files"), files),
        h("section", { class: "panel" }, h("h2", {}, "Convert"), h("p", { class: "muted" }, "Make another format of this scene; it joins the files above."),
          h("div", { class: "convert" }, target, convertBtn))),
      h("aside", {},
        h("section", { class: "panel" }, h("h2", {}, "Scene"), info),
        h("section", { class: "panel", id: "metadata" }, h("h2", {}, "Contents"),
          scene.metadata ? kv(scene.metadata) : h("p", { class: "muted" }, "Not read yet.")),
        validationPanel(scene)))]
    .filter(Boolean));

  if (!SETTLED.includes(scene.status) && scene.job_id) {
    overlay.textContent = "Processing: " + scene.progress + "%";
    cleanup.push(follow(scene.job_id, (j) => {
      overlay.textContent = "Processing: " + j.progress + "% " + (j.stage || "");
    }, () => route()));
    return;
  }
  const generation = viewGeneration;
  const { viewable, mountViewer } = await import("./viewer.js");
  const candidates = viewable(scene).map(fetchedHere);
  if (!candidates.length || scene.status === "invalid" || scene.status === "failed") {
    overlay.textContent = nothingToShow(scene); // not a broken file fed to the viewer: what is wrong with it
    viewer.setAttribute("data-shown", "");
    return;
  }
  try {
    const v = await mountViewer(viewer, candidates, (t) => { overlay.textContent = t; });
    if (generation !== viewGeneration) {
      v.dispose(); // the person moved on while it loaded
      return;
    }
    overlay.textContent = "";
    viewer.setAttribute("data-shown", v.file.name);
    cleanup.push(v.dispose);
  } catch (e) {
    overlay.textContent = e.message;
    viewer.setAttribute("data-shown", "");
  }
}

/** Why the viewer shows nothing for a settled scene: what is wrong with it, or that the viewer cannot show it. */
function nothingToShow(scene) {
  const fmt = scene.format ? scene.format + " " : "";
  if (scene.status === "invalid") {
    const first = scene.validation && (scene.validation.firstErrors || [])[0];
    const why = typeof first === "string" ? first : first && first.message ? first.message : scene.error;
    return "Nothing to show: this " + fmt + "file is invalid" + (why ? ": " + why : "") + ". More under Validation.";
  }
  if (scene.status === "failed") {
    return "Nothing to show: processing failed" + (scene.error ? ": " + scene.error : "") + ".";
  }
  return "The viewer cannot show this " + fmt + "scene; download its files below, or convert it.";
}

// A scene someone shared: read-only, no account needed (GET /s/{token}).
async function shareView(token) {
  main.replaceChildren(h("p", { class: "muted" }, "Loading..."));
  const r = await fetch("/s/" + token, { credentials: "omit" });
  if (!r.ok) {
    main.replaceChildren(h("p", { class: "error" }, "This link does not open a scene: it may have expired or been revoked."));
    return;
  }
  const scene = await r.json();
  const overlay = h("div", { class: "overlay", id: "viewer-status" }, "");
  const viewer = h("div", { class: "viewer", id: "viewer" }, overlay,
    h("div", { class: "help" }, "drag: orbit - right-drag: pan - wheel: zoom"));
  const files = h("ul", { class: "files", id: "files" });
  for (const f of scene.files || []) {
    files.append(h("li", {}, h("span", { class: "fname" }, f.name.replace(/^original\//, "")),
      h("span", { class: "fsize" }, bytes(f.size)),
      h("a", { class: "button", href: here(f.url), download: f.name.slice(f.name.lastIndexOf("/") + 1) }, "Download")));
  }
  main.replaceChildren(
    h("div", { class: "scene-head" }, h("h1", {}, scene.name || scene.filename),
      h("span", { class: "badge " + scene.status, id: "scene-status" }, scene.status)),
    h("p", { class: "muted" }, "Shared read-only until " + when(scene.shared_until) + "."),
    h("div", { class: "scene-layout" },
      h("div", {}, viewer),
      h("aside", {},
        h("section", { class: "panel", id: "metadata" }, h("h2", {}, "Contents"),
          scene.metadata ? kv(scene.metadata) : h("p", { class: "muted" }, "Not read yet.")),
        h("section", { class: "panel" }, h("h2", {}, "Files"), files))));
  const { viewable, mountViewer } = await import("./viewer.js");
  try {
    const candidates = viewable(scene).map(fetchedHere);
    const v = await mountViewer(viewer, candidates, (t) => { overlay.textContent = t; });
    overlay.textContent = "";
    viewer.setAttribute("data-shown", v.file.name);
    cleanup.push(v.dispose);
  } catch (e) {
    overlay.textContent = e.message;
    viewer.setAttribute("data-shown", "");
  }
}

start();
