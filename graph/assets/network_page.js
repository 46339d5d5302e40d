/* The collaboration network page: filters, search, tooltips and a layout that stops.
 *
 * Every piece of data text reaches the page through textContent, never as markup.
 * window.bioclusterNetwork exposes the network and its data sets to tests and to users'
 * own scripts in the browser console.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("biocluster-data").textContent);
  var texts = data.texts;
  // Times are performance.now() values (ms since navigation start), for benchmarks.
  var state = {
    startedAt: performance.now(),
    still: false,
    stillAt: null,
    layoutMs: null,
    layoutStoppedEarly: false,
    iterations: 0,
  };
  var hiddenSectors = new Set();
  var hiddenTypes = new Set();
  var year = null;
  // A planner's first view shows the actors (and an ego view's centre); the other kinds of
  // node (programmes, budget lines, functions, figures) are one switch away.
  var allKinds = data.focus === "all";
  // The in-page ego view: the ids shown around a chosen node (null: no ego view).
  var egoSet = null;
  var egoCenter = null;

  function kindShown(node) {
    // An anchor is what an actor with no tie to another actor is joined to: shown with it.
    return allKinds || Boolean(node.actor) || Boolean(node.anchor) || node.id === data.center;
  }

  function egoShown(node) {
    return egoSet === null || egoSet.has(node.id);
  }

  // A derived tie (two actors sharing a programme, project, event, function) stands in for
  // the shared node while that is hidden; once every kind is shown, the real lines are there.
  function derivedShown(edge) {
    return !edge.derived || !allKinds;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)(:,)?\}/g, function (whole, key, grouped) {
      var value = values[key];
      if (value === undefined) return whole;
      return grouped || typeof value === "number" ? Number(value).toLocaleString("en-US") : String(value);
    });
  }

  function fold(text) {
    // The name layer's fold_name (biocluster_kg/kernel/names.py): NFKC, case, white space
    // and the nakaguro (NAKAGURO there) dropped, so the box finds what --around finds.
    return String(text)
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\s\u30fb\u00b7\u2027\u2219\u22c5\u2022\u0387]+/g, "");
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // --- the network ------------------------------------------------------------------

  // Relationship types style their edges; the payload carries each style once.
  data.edges.forEach(function (edge) {
    var style = data.edgeStyles[edge.type];
    edge.color = style.color;
    edge.dashes = style.dashes;
    if (!edge.typeLabel) edge.typeLabel = style.label;
    if (data.edgeLabels) edge.label = edge.typeLabel;
  });
  data.nodes.forEach(function (node) { if (!kindShown(node)) node.hidden = true; });
  data.edges.forEach(function (edge) { if (!derivedShown(edge)) edge.hidden = true; });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  state.dataAt = performance.now();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  state.constructedAt = performance.now();

  var progressBar = document.querySelector("#progress-bar span");

  // Labels a reader can read when the whole drawing fits the screen (a 1366x768 laptop
  // included): at the fitted zoom every label is at least LABEL_MIN_PX pixels high, the
  // largest ones at most twice that; zooming in never draws one above maxVisible.
  var LABEL_MIN_PX = 11;
  // Past this many drawn nodes labels at that size would cover one another: a large
  // drawing keeps its labels for when the reader zooms in.
  var LEGIBLE_NODES = 250;
  function legibleLabels() {
    if (network.body.nodeIndices.length > LEGIBLE_NODES) return;
    var scale = network.getScale();
    var scaling = data.options.nodes.scaling.label;
    if (!(scale > 0) || scaling.min * scale >= LABEL_MIN_PX) return;
    var min = LABEL_MIN_PX / scale;
    network.setOptions({ nodes: { scaling: { label: {
      min: min, max: 1.6 * min, maxVisible: scaling.maxVisible,
      drawThreshold: Math.min(scaling.drawThreshold, LABEL_MIN_PX - 1),
    } } } });
    // vis-network recomputes the value-scaled label sizes only when the data changes.
    network.body.emitter.emit("_dataChanged");
    state.labelScale = scale;
  }

  function becomeStill() {
    if (state.still) return;
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    legibleLabels();
    state.still = true;
    state.stillAt = performance.now();
    state.layoutMs = state.stillAt - state.startedAt;
    document.body.setAttribute("data-state", "still");
    if (state.layoutStoppedEarly) document.getElementById("layout-message").textContent = texts.layout_stopped;
    showVisibleCounts();
    window.dispatchEvent(new CustomEvent("biocluster:still", { detail: { layoutMs: state.layoutMs } }));
  }

  network.on("stabilizationProgress", function (progress) {
    state.iterations = progress.iterations;
    if (!state.firstProgressAt) state.firstProgressAt = performance.now();
    if (progressBar) progressBar.style.width = Math.round((100 * progress.iterations) / progress.total) + "%";
    if (performance.now() - state.startedAt > data.layoutBudgetMs) {
      // Stop where the layout is: a still, usable page beats a perfect one that never comes.
      state.layoutStoppedEarly = true;
      network.stopSimulation();
    }
  });
  network.once("stabilizationIterationsDone", becomeStill);
  if (data.nodes.length === 0) becomeStill();

  // --- filters ------------------------------------------------------------------------

  function yearMatches(item) {
    if (year === null || !item.years) return true;
    var first = item.years[0];
    var last = item.years[1];
    return (first === null || first <= year) && (last === null || year <= last);
  }

  function applyFilters() {
    var nodeUpdates = [];
    nodes.forEach(function (node) {
      var hidden = hiddenSectors.has(node.sector) || !yearMatches(node) || !kindShown(node) ||
        !egoShown(node);
      if (Boolean(node.hidden) !== hidden) nodeUpdates.push({ id: node.id, hidden: hidden });
    });
    var edgeUpdates = [];
    edges.forEach(function (edge) {
      var hidden = hiddenTypes.has(edge.type) || !yearMatches(edge) || !derivedShown(edge);
      if (Boolean(edge.hidden) !== hidden) edgeUpdates.push({ id: edge.id, hidden: hidden });
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    showVisibleCounts();
  }

  function drawnCounts() {
    // What vis-network draws: visible nodes, and visible edges whose two ends are visible.
    return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
  }

  function showVisibleCounts() {
    var counts = drawnCounts();
    document.getElementById("visible-counts").textContent = format(texts.visible, counts);
    var focusMessage = document.getElementById("focus-message");
    if (focusMessage) {
      var others = data.nodes.filter(function (node) {
        return !node.actor && !node.anchor && node.id !== data.center;
      });
      focusMessage.textContent = allKinds ? "" : format(texts.actors_only, { n: others.length });
    }
  }

  var allKindsBox = document.getElementById("all-kinds");
  function setAllKinds(on) {
    allKinds = Boolean(on);
    if (allKindsBox) allKindsBox.checked = allKinds;
    applyFilters();
  }
  if (allKindsBox) allKindsBox.addEventListener("change", function () { setAllKinds(allKindsBox.checked); });

  function setSectorVisible(sector, visible) {
    if (visible) hiddenSectors.delete(sector); else hiddenSectors.add(sector);
    var box = document.querySelector('input[data-sector="' + CSS.escape(sector) + '"]');
    if (box) box.checked = visible;
    applyFilters();
  }

  function setTypeVisible(type, visible) {
    if (visible) hiddenTypes.delete(type); else hiddenTypes.add(type);
    var box = document.querySelector('input[data-type="' + CSS.escape(type) + '"]');
    if (box) box.checked = visible;
    applyFilters();
  }

  var yearSelect = document.getElementById("year-filter");
  function setYear(value) {
    year = value === null || value === "" ? null : Number(value);
    if (yearSelect) yearSelect.value = year === null ? "" : String(year);
    applyFilters();
  }

  function resetFilters() {
    hiddenSectors.clear();
    hiddenTypes.clear();
    year = null;
    document.querySelectorAll("#sidebar input[data-sector], #sidebar input[data-type]").forEach(
      function (box) { box.checked = true; }
    );
    if (yearSelect) yearSelect.value = "";
    applyFilters();
  }

  // --- ego view and expanding inside the page -------------------------------------------

  // The neighbours of a node over the lines a reader can see now (type filters, derived ties
  // while the other kinds are hidden), whether or not the neighbour itself is shown yet.
  function neighbours(id) {
    var found = new Set();
    edges.forEach(function (edge) {
      if (hiddenTypes.has(edge.type) || !derivedShown(edge) || !yearMatches(edge)) return;
      var other = edge.from === id ? edge.to : edge.to === id ? edge.from : null;
      if (other === null) return;
      var node = nodes.get(other);
      if (node && kindShown(node)) found.add(other);
    });
    return found;
  }

  var egoMessage = document.getElementById("ego-message");
  var egoClear = document.getElementById("ego-clear");

  function showEgoState() {
    if (egoMessage) {
      egoMessage.textContent = egoSet === null ? "" : format(texts.ego_active, {
        name: heading(nodes.get(egoCenter) || { id: egoCenter }), n: egoSet.size,
      });
    }
    if (egoClear) egoClear.hidden = egoSet === null;
  }

  function showEgo(id) {
    if (!nodes.get(id)) return false;
    egoCenter = id;
    egoSet = neighbours(id);
    egoSet.add(id);
    applyFilters();
    showEgoState();
    network.fit({ nodes: Array.from(egoSet).filter(function (n) { return !nodes.get(n).hidden; }),
      animation: false });
    return true;
  }

  function expand(id) {
    if (!nodes.get(id)) return false;
    if (egoSet === null) return showEgo(id);
    neighbours(id).forEach(function (other) { egoSet.add(other); });
    egoSet.add(id);
    applyFilters();
    showEgoState();
    return true;
  }

  function clearEgo() {
    egoSet = null;
    egoCenter = null;
    applyFilters();
    showEgoState();
    network.fit({ animation: false });
  }
  if (egoClear) egoClear.addEventListener("click", clearEgo);

  document.querySelectorAll("input[data-sector]").forEach(function (box) {
    box.addEventListener("change", function () { setSectorVisible(box.getAttribute("data-sector"), box.checked); });
  });
  document.querySelectorAll("input[data-type]").forEach(function (box) {
    box.addEventListener("change", function () { setTypeVisible(box.getAttribute("data-type"), box.checked); });
  });
  if (yearSelect) yearSelect.addEventListener("change", function () { setYear(yearSelect.value); });

  var edgeLabelBox = document.getElementById("edge-labels");
  edgeLabelBox.addEventListener("change", function () {
    var on = edgeLabelBox.checked;
    edges.update(edges.map(function (edge) { return { id: edge.id, label: on ? edge.typeLabel : "" }; }));
  });
  document.getElementById("fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 400 } });
  });

  // --- cards: hover tooltip and the details of the selected item -------------------------

  var tooltip = document.getElementById("tooltip");
  var details = document.getElementById("details");
  var stage = document.getElementById("stage");

  function heading(item) {
    return item.heading || item.label || item.id;
  }

  // The rows a card shows: [heading, text] pairs of plain text.
  function rowsOf(item) {
    var rows = [];
    if (item.from !== undefined) {
      var from = nodes.get(item.from);
      var to = nodes.get(item.to);
      rows.push([texts.row_from_to, heading(from) + " → " + heading(to)]);
    }
    rows = rows.concat(item.rows || []);
    if (item.src) {
      var where = data.sources[item.src[0]] || "";
      if (item.src[1] !== null) where += " " + format(texts.line, { line: item.src[1] });
      rows.push([texts.row_source, where + (item.src[2] ? "\n「" + item.src[2] + "」" : "")]);
    }
    // A fact several sources state (or a table's row states) lists every citation.
    if (item.cites) rows.push([texts.row_citations, item.cites.join("\n")]);
    return rows;
  }

  function fillCard(card, item, closable) {
    card.replaceChildren();
    if (closable) {
      var close = element("button", "close", "×");
      close.type = "button";
      close.setAttribute("aria-label", texts.details_close);
      close.addEventListener("click", function () { network.unselectAll(); card.hidden = true; });
      card.appendChild(close);
    }
    card.appendChild(element("h3", null, item.from !== undefined ? item.typeLabel : heading(item)));
    if (item.sub) card.appendChild(element("p", "sub", item.sub));
    var list = element("dl");
    rowsOf(item).forEach(function (row) {
      list.appendChild(element("dt", null, row[0]));
      list.appendChild(element("dd", null, row[1]));
    });
    card.appendChild(list);
    if (closable && item.from === undefined && data.mode === "full") {
      var actions = element("p", "actions");
      [["ego", texts.ego_here, showEgo], ["expand", texts.expand, expand]].forEach(function (action) {
        var button = element("button", null, action[1]);
        button.type = "button";
        button.setAttribute("data-action", action[0]);
        button.addEventListener("click", function () { action[2](item.id); });
        actions.appendChild(button);
      });
      card.appendChild(actions);
    }
  }

  var detailsId = null;

  function showTooltip(item, pointer) {
    // The selected item's card is already open: a second copy would only hide the map.
    if (!item || (!details.hidden && item.id === detailsId)) return;
    fillCard(tooltip, item, false);
    tooltip.hidden = false;
    var width = stage.clientWidth;
    var height = stage.clientHeight;
    var tipWidth = tooltip.offsetWidth;
    var tipHeight = tooltip.offsetHeight;
    var left = Math.min(pointer.x + 14, Math.max(0, width - tipWidth - 8));
    var top = Math.min(pointer.y + 14, Math.max(0, height - tipHeight - 8));
    if (!details.hidden) {
      // Never over the open details card (on a laptop screen, 1366x768, it takes a good
      // part of the map): beside it on the left, else above it, else not at all.
      var card = { left: details.offsetLeft, top: details.offsetTop };
      card.right = card.left + details.offsetWidth;
      card.bottom = card.top + details.offsetHeight;
      var overlaps = function (x, y) {
        return x < card.right + 6 && x + tipWidth > card.left - 6 &&
          y < card.bottom + 6 && y + tipHeight > card.top - 6;
      };
      if (overlaps(left, top)) {
        var besideLeft = card.left - tipWidth - 8;
        var aboveTop = card.top - tipHeight - 8;
        if (besideLeft >= 0) left = Math.min(left, besideLeft);
        else if (aboveTop >= 0) top = Math.min(top, aboveTop);
        else { tooltip.hidden = true; return; }
      }
    }
    tooltip.style.left = left + "px";
    tooltip.style.top = top + "px";
  }
  function hideTooltip() { tooltip.hidden = true; }

  network.on("hoverNode", function (params) { showTooltip(nodes.get(params.node), params.pointer.DOM); });
  network.on("hoverEdge", function (params) { showTooltip(edges.get(params.edge), params.pointer.DOM); });
  network.on("blurNode", hideTooltip);
  network.on("blurEdge", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);

  function showDetails(item) {
    detailsId = item ? item.id : null;
    if (!item) { details.hidden = true; return; }
    hideTooltip();
    fillCard(details, item, true);
    details.hidden = false;
  }
  network.on("select", function (params) {
    if (params.nodes.length) showDetails(nodes.get(params.nodes[0]));
    else if (params.edges.length) showDetails(edges.get(params.edges[0]));
    else showDetails(null);
  });

  // --- search -----------------------------------------------------------------------

  var index = data.search.map(function (entry) {
    return {
      target: entry[0], display: entry[1], names: entry[2], folded: entry[2].map(fold),
      labelRank: entry[3] === undefined ? 9 : entry[3],
    };
  });

  function search(query, limit) {
    var wanted = fold(query || "");
    if (!wanted) return [];
    var found = [];
    index.forEach(function (entry) {
      var best = null;
      entry.folded.forEach(function (name) {
        var rank = name === wanted ? 0 : name.indexOf(wanted) === 0 ? 1 : name.indexOf(wanted) > 0 ? 2 : null;
        if (rank !== null && (best === null || rank < best)) best = rank;
      });
      if (best !== null) found.push({ entry: entry, rank: best });
    });
    // An organisation before its posts when both match alike (kernel/names.py LABEL_ORDER).
    found.sort(function (a, b) {
      return a.rank - b.rank || a.entry.labelRank - b.entry.labelRank ||
        a.entry.display.length - b.entry.display.length ||
        (a.entry.display < b.entry.display ? -1 : a.entry.display > b.entry.display ? 1 : 0);
    });
    return found.slice(0, limit || 12).map(function (hit) { return hit.entry; });
  }

  // Did you mean: names close to a text nothing contains (a typo such as "Spyber"). Close is
  // the name layer's closeness (kernel/names.py): the share of characters that need no
  // edit, against the whole name or, weighed less, against its start; the floor is its
  // CLOSE_CUTOFF, so the page and `biocluster find` agree on what is close.
  function editDistance(a, b) {
    var previous = [];
    for (var j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      var current = [i];
      for (var k = 1; k <= b.length; k++) {
        current.push(Math.min(previous[k] + 1, current[k - 1] + 1,
          previous[k - 1] + (a[i - 1] === b[k - 1] ? 0 : 1)));
      }
      previous = current;
    }
    return previous[b.length];
  }

  function closeness(wanted, name) {
    var whole = 1 - editDistance(wanted, name) / Math.max(wanted.length, name.length, 1);
    var start = name.slice(0, wanted.length);
    var head = 0;
    if (name.length > wanted.length) {
      head = data.headWeight * (1 - editDistance(wanted, start) / Math.max(wanted.length, 1));
    } else if (name.length >= data.headMinChars && name.length * 2 >= wanted.length) {
      head = data.headWeight *
        (1 - editDistance(wanted.slice(0, name.length), name) / Math.max(name.length, 1));
    }
    return Math.max(whole, head);
  }

  function suggest(query, limit) {
    var wanted = fold(query || "");
    if (wanted.length < 2) return [];
    var found = [];
    index.forEach(function (entry) {
      var best = 0;
      entry.folded.forEach(function (name) { best = Math.max(best, closeness(wanted, name)); });
      best = Math.round(best * 1e6) / 1e6;
      if (best >= data.closeCutoff) found.push({ entry: entry, score: best });
    });
    found.sort(function (a, b) {
      return b.score - a.score || a.entry.labelRank - b.entry.labelRank ||
        a.entry.display.length - b.entry.display.length ||
        (a.entry.display < b.entry.display ? -1 : a.entry.display > b.entry.display ? 1 : 0);
    });
    return found.slice(0, limit || 3).map(function (hit) { return hit.entry; });
  }

  var searchBox = document.getElementById("search");
  var results = document.getElementById("search-results");
  var message = document.getElementById("search-message");

  function select(target, display) {
    var node = nodes.get(target);
    if (!node) return false;
    message.textContent = "";
    if (node.hidden) {
      if (!kindShown(node)) setAllKinds(true);
      if (!egoShown(node)) { egoSet = null; egoCenter = null; showEgoState(); }
      resetFilters();
      message.textContent = texts.search_hidden;
    }
    if (data.mode === "aggregated" && display) {
      message.textContent = format(texts.search_in_group, { name: display, group: heading(node) });
    }
    network.selectNodes([target]);
    network.focus(target, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 450 } });
    showDetails(nodes.get(target));
    return true;
  }

  function showResults() {
    var hits = search(searchBox.value);
    results.replaceChildren();
    message.textContent = searchBox.value.trim() && !hits.length ? texts.search_none : "";
    // Nothing contains the text: offer close names to click, never pick one for the reader.
    var suggestions = hits.length ? [] : suggest(searchBox.value);
    if (suggestions.length) {
      message.textContent = texts.search_suggest;
      results.setAttribute("data-suggestions", "true");
    } else {
      results.removeAttribute("data-suggestions");
    }
    (hits.length ? hits : suggestions).forEach(function (hit) {
      var item = element("li");
      var button = element("button");
      button.type = "button";
      button.appendChild(element("span", null, hit.display));
      var other = hit.names.filter(function (name) { return name !== hit.display && name !== hit.target; })[0];
      if (other) button.appendChild(element("span", "alt", other));
      button.addEventListener("click", function () { select(hit.target, hit.display); });
      item.appendChild(button);
      results.appendChild(item);
    });
    return hits;
  }

  searchBox.addEventListener("input", showResults);
  searchBox.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    var hits = showResults();
    if (hits.length) select(hits[0].target, hits[0].display);
  });

  window.bioclusterNetwork = {
    network: network,
    nodes: nodes,
    edges: edges,
    data: data,
    state: state,
    search: function (query) { return search(query).map(function (hit) { return hit.target; }); },
    suggest: function (query) { return suggest(query).map(function (hit) { return hit.target; }); },
    showEgo: showEgo,
    expand: expand,
    clearEgo: clearEgo,
    showDetails: function (id) { showDetails(nodes.get(id) || edges.get(id)); },
    neighbours: function (id) { return Array.from(neighbours(id)); },
    select: select,
    setSectorVisible: setSectorVisible,
    setTypeVisible: setTypeVisible,
    setYear: setYear,
    resetFilters: resetFilters,
    setAllKinds: setAllKinds,
    drawnCounts: drawnCounts,
    physicsEnabled: function () { return network.physics.physicsEnabled; },
  };
})();
