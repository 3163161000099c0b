/* The list's explorer: search and filters over the exemplars, and a copy button for each
 * exemplar's BibTeX. Progressive enhancement: without this script the page is the whole list,
 * and every item's id, permalink and BibTeX disclosure still work.
 *
 * Everything it needs is on the page. Each item is a `div.exemplar` whose id is its key and
 * whose data attributes carry its section, subsection, year, kind, venue type, venue and
 * authors (written by exemplars.post.list_markdown). The view lives in the query string
 * (?q=&section=&from=&to=&venue=&kind=), so it can be shared, bookmarked and restored by Back.
 */
(function () {
  "use strict";

  const items = Array.from(document.querySelectorAll("div.exemplar[id]"));
  if (!items.length) return;

  const PARAMS = ["q", "section", "from", "to", "venue", "kind"];
  const KIND_LABELS = {
    article: "Journal article",
    inproceedings: "Conference paper",
    book: "Book",
    chapter: "Book chapter",
    tutorial: "Tutorial",
    talk: "Talk",
    video: "Video",
    post: "Post or essay",
    preprint: "Preprint",
  };

  // Case- and accent-insensitive text: decomposed, combining marks dropped, lower case.
  const fold = (text) => (text || "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const slug = (text) => fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

  // The item's own words (title and note), not its reference or BibTeX, plus venue and authors.
  const ownText = (item) =>
    Array.from(item.querySelectorAll(":scope > p"), (p) => p.textContent).join(" ");

  const records = items.map((item) => {
    const data = item.dataset;
    const section = slug(data.section);
    return {
      item,
      section,
      group: data.subsection ? section + "/" + slug(data.subsection) : section,
      year: Number(data.year),
      kind: data.kind || "",
      venueType: data.venueType || "",
      text: fold([ownText(item), data.venue, data.authors].join(" ")),
      shown: true,
    };
  });

  // Each <section> that holds items, with its items, so empty headings hide with the list.
  const sections = new Map();
  records.forEach((record) => {
    for (let s = record.item.closest("section"); s; s = s.parentElement.closest("section")) {
      if (!sections.has(s)) sections.set(s, []);
      sections.get(s).push(record);
    }
  });

  const form = buildForm();
  const field = (name) => form.elements[name];
  const status = form.querySelector(".explorer-count");
  let typing = false; // a burst of keystrokes makes one history entry, not one per key

  function buildForm() {
    const years = records.map((r) => r.year).filter(Number.isFinite);
    const low = Math.min(...years);
    const high = Math.max(...years);
    const element = document.createElement("form");
    element.className = "exemplar-explorer";
    element.setAttribute("role", "search");
    element.setAttribute("aria-label", "Search and filter the exemplars");
    element.innerHTML =
      '<div class="explorer-search"><label for="explorer-q">Search titles, authors, venues ' +
      'and notes</label><input id="explorer-q" name="q" type="search" class="form-control" ' +
      'autocomplete="off" spellcheck="false"></div>' +
      '<div class="explorer-filters">' +
      '<div><label for="explorer-section">Section</label><select id="explorer-section" ' +
      'name="section" class="form-select"><option value="">All sections</option></select></div>' +
      '<fieldset class="explorer-years"><legend>Years</legend><div>' +
      '<label for="explorer-from">From</label><input id="explorer-from" name="from" ' +
      'type="number" inputmode="numeric" class="form-control" min="' + low + '" max="' + high +
      '" placeholder="' + low + '"><label for="explorer-to">to</label><input id="explorer-to" ' +
      'name="to" type="number" inputmode="numeric" class="form-control" min="' + low +
      '" max="' + high + '" placeholder="' + high + '"></div></fieldset>' +
      '<div><label for="explorer-venue">Venue type</label><select id="explorer-venue" ' +
      'name="venue" class="form-select"><option value="">All venue types</option></select></div>' +
      '<div><label for="explorer-kind">Kind</label><select id="explorer-kind" name="kind" ' +
      'class="form-select"><option value="">All kinds</option></select></div></div>' +
      '<div class="explorer-footer"><p class="explorer-count" role="status" aria-live="polite" ' +
      'aria-atomic="true"></p><button type="button" class="btn btn-sm btn-outline-secondary ' +
      'explorer-clear">Clear search and filters</button></div>';
    addSectionOptions(element.elements.section);
    const distinct = (key) => [...new Set(records.map((r) => r[key]).filter(Boolean))].sort();
    distinct("venueType").forEach((type) => addOption(element.elements.venue, type, type));
    distinct("kind").forEach((kind) =>
      addOption(element.elements.kind, kind, KIND_LABELS[kind] || kind),
    );
    return element;
  }

  function addOption(parent, value, label) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = label;
    parent.appendChild(option);
  }

  // One group per section, in list order: the whole section, then each of its subsections.
  function addSectionOptions(select) {
    const seen = new Set();
    let group = null;
    items.forEach((item) => {
      const { section, subsection } = item.dataset;
      if (!seen.has(section)) {
        seen.add(section);
        group = document.createElement("optgroup");
        group.label = section;
        select.appendChild(group);
        addOption(group, slug(section), "All of " + section);
      }
      const value = slug(section) + "/" + slug(subsection);
      if (subsection && !seen.has(value)) {
        seen.add(value);
        addOption(group, value, subsection);
      }
    });
  }

  function readState() {
    const state = {};
    PARAMS.forEach((name) => (state[name] = field(name).value.trim()));
    return state;
  }

  function writeControls(params) {
    PARAMS.forEach((name) => {
      const control = field(name);
      control.value = params.get(name) || "";
      if (control.tagName === "SELECT" && control.selectedIndex < 0) control.value = "";
    });
  }

  const year = (text) => (/^\d{4}$/.test(text) ? Number(text) : NaN);

  /** Show the items that match the controls, hide empty sections, update the count. */
  function filter() {
    const state = readState();
    const words = fold(state.q).split(/\s+/).filter(Boolean);
    const from = year(state.from);
    const to = year(state.to);
    let count = 0;
    for (const r of records) {
      const shown =
        (!state.section || r.section === state.section || r.group === state.section) &&
        (!state.venue || r.venueType === state.venue) &&
        (!state.kind || r.kind === state.kind) &&
        !(r.year < from) &&
        !(r.year > to) &&
        words.every((word) => r.text.includes(word));
      if (shown !== r.shown) {
        r.shown = shown;
        r.item.hidden = !shown;
      }
      if (shown) count++;
    }
    sections.forEach((held, section) => {
      const empty = !held.some((r) => r.shown);
      if (section.hidden !== empty) section.hidden = empty;
    });
    const text = count + " of " + records.length + " exemplars";
    if (status.textContent !== text) status.textContent = text;
  }

  function urlOf(state) {
    const params = new URLSearchParams();
    PARAMS.forEach((name) => state[name] && params.set(name, state[name]));
    const query = params.toString();
    return location.pathname + (query ? "?" + query : "") + location.hash;
  }

  function remember(push) {
    const url = urlOf(readState());
    if (url === location.pathname + location.search + location.hash) return;
    history[push ? "pushState" : "replaceState"](null, "", url);
  }

  function restore() {
    writeControls(new URLSearchParams(location.search));
    filter();
  }

  function clear() {
    writeControls(new URLSearchParams());
    filter();
    remember(true);
  }

  // A permalink to an item the filters hide clears them, so the link always lands.
  function revealTarget() {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (!target || !target.classList.contains("exemplar") || !target.closest("[hidden]")) return;
    writeControls(new URLSearchParams());
    filter();
    history.replaceState(null, "", urlOf(readState()));
    target.scrollIntoView();
  }

  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("input", (event) => {
    if (event.target.tagName === "SELECT") return;
    filter();
    remember(!typing);
    typing = true;
  });
  form.addEventListener("change", (event) => {
    if (event.target.tagName === "SELECT") {
      filter();
      remember(true);
    }
    typing = false;
  });
  form.addEventListener("focusout", () => (typing = false));
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    typing = false;
    clear();
  });
  form.querySelector(".explorer-clear").addEventListener("click", () => {
    typing = false;
    clear();
    field("q").focus();
  });
  window.addEventListener("popstate", () => {
    typing = false;
    restore();
  });
  window.addEventListener("hashchange", revealTarget);

  // The controls go after the figures, just before the first section that holds the list.
  let first = records[0].item;
  for (let s = first.closest("section"); s; s = s.parentElement.closest("section")) first = s;
  first.parentNode.insertBefore(form, first);
  restore();
  revealTarget();

  // A copy button in each BibTeX disclosure, made the first time it opens.
  document.addEventListener(
    "toggle",
    (event) => {
      const details = event.target;
      if (!details.matches || !details.matches("details.exemplar-bibtex")) return;
      if (!details.open || details.querySelector(".exemplar-copy")) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary exemplar-copy";
      button.textContent = "Copy BibTeX";
      const said = document.createElement("span");
      said.className = "exemplar-copied";
      said.setAttribute("role", "status");
      button.addEventListener("click", async () => {
        const code = details.querySelector("code");
        const copied = await copyText(code.textContent);
        if (!copied) selectText(code);
        said.textContent = copied ? "Copied" : "Press Ctrl+C (or ⌘C) to copy";
      });
      details.append(button, said);
    },
    true,
  );

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (error) {
        // Refused (permissions, an unfocused page): try the older way below.
      }
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "exemplar-copy-buffer";
    document.body.appendChild(area);
    area.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    area.remove();
    return copied;
  }

  function selectText(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
})();
