// Progressive enhancement: the pages work without it.
"use strict";

// Search page: "N more passages in this digest" expands in place from the JSON API.
function setupMorePassages() {
  const query = new URLSearchParams(location.search).get("q") || "";
  const linked = new URLSearchParams(location.search).get("link") || "";  // the partner searched
  document.querySelectorAll("details.more").forEach((details) => {
    details.addEventListener("toggle", async () => {
      if (!details.open || details.classList.contains("loaded")) return;
      const params = new URLSearchParams({ q: query, doc: details.dataset.doc, passages: "1", limit: "100" });
      if (linked) params.set("link", linked);
      const response = await fetch("/api/search?" + params);
      if (!response.ok) return;
      const data = await response.json();
      const list = document.createElement("ol");
      for (const hit of data.results) {
        if (hit.passage_id === details.dataset.exclude) continue;
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = "/doc/" + encodeURIComponent(hit.doc_id) + "?" + new URLSearchParams(linked ? { q: query, link: linked } : { q: query }) + "#" + hit.passage_id;
        link.textContent = hit.heading || hit.title;
        const snippet = document.createElement("p");
        snippet.className = "snippet";
        snippet.innerHTML = hit.snippet; // server-escaped text; only our <mark> tags are markup
        item.append(link, snippet);
        list.append(item);
      }
      details.append(list);
      details.classList.add("loaded");
    });
  });
}

// A URL fragment as an element id; a malformed escape ("#%E0%A4%A") is taken as typed.
function fragment(hash) {
  try {
    return decodeURIComponent(hash.slice(1));
  } catch (error) {
    return hash.slice(1);
  }
}

// Search form: the digest filter suggests digests' titles as you type, from the JSON API.
// Suggestions as you type, from a JSON listing: digests for the digest filter, partners to
// merge into (data-exclude: the partner the page is about).
function setupSuggestions() {
  document.querySelectorAll("input[data-suggest]").forEach((input) => {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    let asked = "";
    input.addEventListener("input", async () => {
      const text = input.value.trim();
      if (text.length < 2 || text === asked) return;
      asked = text;
      const response = await fetch(input.dataset.suggest + "?" + new URLSearchParams({ q: text, limit: "20" }));
      if (!response.ok || asked !== text) return;
      const data = await response.json();
      const options = (data.digests || []).map((digest) => [digest.title, digest.date || ""])
        .concat((data.partners || []).filter((p) => p.slug !== input.dataset.exclude).map((p) => [p.name, p.names.join(", ")]));
      list.replaceChildren(...options.map(([value, label]) => {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = label;
        return option;
      }));
    });
  });
}

// Document view: land on the passage, step through matches with buttons or n / p.
function setupMatches() {
  const article = document.querySelector("article.document");
  if (!article) return;
  const marks = Array.from(article.querySelectorAll("mark"));
  const target = location.hash ? document.getElementById(fragment(location.hash)) : null;
  // The sticky match bar's real height (it wraps on narrow screens) keeps passages clear of it.
  const bar = article.querySelector(".matchbar");
  if (bar) document.documentElement.style.setProperty("--bar", bar.offsetHeight + "px");
  if (target) {
    target.classList.add("target");
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "start" });
  }
  let current = -1;
  const counter = article.querySelector(".match-count");
  const label = counter ? counter.textContent : "";
  function show(index) {
    if (!marks.length) return;
    if (current >= 0) marks[current].classList.remove("current");
    current = (index + marks.length) % marks.length;
    const mark = marks[current];
    mark.classList.add("current");
    mark.scrollIntoView({ block: "center" });
    if (counter) counter.textContent = label + " — " + (current + 1) + " / " + marks.length;
  }
  if (target) {
    const first = marks.findIndex((m) => target.contains(m));
    if (first >= 0) { current = first; marks[first].classList.add("current"); }
  }
  const next = document.getElementById("next-match");
  const prev = document.getElementById("prev-match");
  if (next) next.addEventListener("click", () => show(current + 1));
  if (prev) prev.addEventListener("click", () => show(current - 1));
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (["INPUT", "TEXTAREA", "SELECT"].includes(event.target.tagName)) return;
    if (event.key === "n") show(current + 1);
    else if (event.key === "p") show(current - 1);
  });
}

// Partner directory: filter rows as you type, sort by a column.
function setupPartnerTable() {
  const filter = document.querySelector("input[data-filter]");
  if (filter) {
    filter.addEventListener("input", () => {
      const needle = filter.value.trim().toLowerCase();
      document.querySelectorAll(filter.dataset.filter).forEach((row) => {
        row.hidden = needle !== "" && !row.dataset.names.includes(needle);
      });
    });
  }
  document.querySelectorAll("table.sortable th button").forEach((button, column) => {
    button.addEventListener("click", () => {
      const body = button.closest("table").tBodies[0];
      const numeric = button.dataset.sort === "number";
      const descending = button.getAttribute("aria-sort") !== "descending";
      const value = (row) => {
        const cell = row.cells[column];
        if (numeric) return Number(cell.dataset.value);
        return (cell.dataset.value === undefined ? cell.textContent : cell.dataset.value).trim().toLowerCase();
      };
      const rows = Array.from(body.rows).sort((a, b) => {
        const order = value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : 0;
        return descending ? -order : order;
      });
      body.append(...rows);
      button.closest("tr").querySelectorAll("button").forEach((b) => b.removeAttribute("aria-sort"));
      button.setAttribute("aria-sort", descending ? "descending" : "ascending");
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupMorePassages();
  setupSuggestions();
  setupMatches();
  setupPartnerTable();
});

// Upload page: files dropped on the form are the files chosen.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-drop]").forEach((zone) => {
    const input = document.getElementById(zone.dataset.drop);
    ["dragenter", "dragover"].forEach((kind) => zone.addEventListener(kind, (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    }));
    ["dragleave", "drop"].forEach((kind) => zone.addEventListener(kind, () => zone.classList.remove("dragging")));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) input.files = event.dataTransfer.files;
    });
  });
});

// Search form: empty fields stay out of the address (no "&from=&to=&lang=").
// Narrow screens: the partner facet starts folded, so the first result is on the first screen.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.search").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("input, select").forEach((field) => {
        if (field.name && field.value === "" && field.type !== "submit") field.disabled = true;
      });
    });
    // Coming back to the page (the browser's back button) finds the form usable again.
    window.addEventListener("pageshow", () => {
      form.querySelectorAll("[disabled]").forEach((field) => { field.disabled = false; });
    });
  });
  if (window.matchMedia("(max-width: 40rem)").matches) {
    document.querySelectorAll("details[data-collapse-narrow]").forEach((facet) => { facet.open = false; });
  }
});

// A change that is hard to see undone (a merge, "not an organisation") asks first.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
