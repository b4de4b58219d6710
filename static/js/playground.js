// The playground page's own behaviour, the little that htmx does not do: Ctrl/Cmd+Enter sends,
// stop sequences as chips, tool templates, showing only what fits the chosen provider, the
// address bar following a new conversation, editing a message in place, and the inspector and
// "View code" dialogs with their tabs. Every handler is delegated from the document, so
// that elements swapped in by htmx (the message box, footers) need no wiring of their own.
(function () {
  "use strict";

  var MAX_STOP_SEQUENCES = 4;

  // htmx carries an element's old "style" attribute over to its replacement while it settles.
  // The browser may leave an empty style="" on form controls, and re-applying it breaks the CSP
  // (style-src 'self'): a console error on every swap. Nothing here uses inline styles anyway.
  if (window.htmx) htmx.config.attributesToSettle = ["class", "width", "height"];

  function byId(id) {
    return document.getElementById(id);
  }

  // --- Ctrl/Cmd+Enter in the message box sends ---------------------------------------------

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    if (!target || !(target.id === "id_message" || target.closest(".edit-form"))) return;
    event.preventDefault();
    var form = target.form;
    if (form) form.requestSubmit();
  });

  // --- stop sequences as chips --------------------------------------------------------------

  function stopHint(text) {
    var hint = byId("stop-sequences-hint");
    if (hint) hint.textContent = text || hint.dataset.default;
  }

  function settingsChanged() {
    var settings = byId("settings");
    if (settings) settings.dispatchEvent(new Event("stops-changed"));
  }

  function addStopSequence() {
    var input = byId("stop-sequence-new");
    var chips = byId("stop-sequence-chips");
    var template = byId("stop-chip-template");
    if (!input || !chips || !template) return;
    var value = input.value;
    if (!value.trim()) {
      stopHint("Type a stop sequence first.");
      return;
    }
    var existing = chips.querySelectorAll("input[name=stop_sequences]");
    if (existing.length >= MAX_STOP_SEQUENCES) {
      stopHint("At most " + MAX_STOP_SEQUENCES + " stop sequences: remove one first.");
      return;
    }
    for (var i = 0; i < existing.length; i++) {
      if (existing[i].value === value) {
        stopHint("That stop sequence is already there.");
        return;
      }
    }
    var chip = template.content.firstElementChild.cloneNode(true);
    chip.querySelector(".chip-text").textContent = value;
    chip.querySelector("input").value = value;
    chip.querySelector("button").setAttribute("aria-label", "Remove stop sequence " + value);
    chips.appendChild(chip);
    input.value = "";
    stopHint("");
    settingsChanged();
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    if (target.id === "stop-sequence-add") {
      addStopSequence();
    } else if (target.classList.contains("chip-remove")) {
      var chip = target.closest(".chip");
      if (chip) chip.remove();
      stopHint("");
      settingsChanged();
      var input = byId("stop-sequence-new");
      if (input) input.focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    // Enter in the stop sequence box adds a chip instead of sending the message.
    if (event.key === "Enter" && event.target && event.target.id === "stop-sequence-new") {
      event.preventDefault();
      addStopSequence();
    }
  });

  // --- tools: templates, and the tool name shown only for tool_choice "tool" -----------------

  function insertToolTemplate(select) {
    var templates = JSON.parse(byId("tool-templates").textContent);
    var tool = templates[select.value];
    var tools = byId("id_tools");
    var message = byId("tool-template-message");
    select.value = "";
    if (!tool || !tools) return;
    var list = [];
    if (tools.value.trim()) {
      try {
        list = JSON.parse(tools.value);
      } catch (error) {
        message.textContent = "Tools is not valid JSON yet: fix it before inserting a template.";
        return;
      }
      if (!Array.isArray(list)) {
        message.textContent = "Tools must be a JSON list to insert a template into it.";
        return;
      }
    }
    list.push(tool);
    tools.value = JSON.stringify(list, null, 2);
    message.textContent = "Inserted the " + tool.name + " tool.";
    tools.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function showToolName() {
    var choice = byId("id_tool_choice");
    var field = byId("field-tool_name");
    if (choice && field) field.hidden = choice.value !== "tool";
  }

  // --- what fits the chosen provider: its keys, its models ----------------------------------

  function fitProvider() {
    var provider = byId("id_provider");
    if (!provider) return;
    var slug = provider.value;
    var key = byId("id_api_key");
    if (key) {
      for (var i = 0; i < key.options.length; i++) {
        var option = key.options[i];
        var other = option.dataset.provider && option.dataset.provider !== slug;
        option.hidden = !!other;
        if (other && option.selected) key.value = "";
      }
    }
    var model = byId("id_model");
    if (model) model.setAttribute("list", "models-" + slug);
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target) return;
    if (target.id === "tool-template") insertToolTemplate(target);
    else if (target.id === "id_tool_choice") showToolName();
    else if (target.id === "id_provider") fitProvider();
  });

  // --- after a websocket message: the address of a new conversation, focus, scrolling ---------

  var focusWasInMessageBox = false;
  var wasAtBottom = true;

  // The chat column scrolls on a wide screen, the whole page on a narrow one.
  function scroller() {
    var chat = document.querySelector(".chat");
    if (chat && chat.scrollHeight > chat.clientHeight) return chat;
    return document.scrollingElement;
  }

  function atBottom() {
    var element = scroller();
    return element.scrollHeight - element.scrollTop - element.clientHeight < 80;
  }

  document.addEventListener("htmx:wsBeforeMessage", function () {
    var active = document.activeElement;
    focusWasInMessageBox = !!active && active.id === "id_message";
    wasAtBottom = atBottom();
  });

  document.addEventListener("htmx:wsAfterMessage", function () {
    var url = byId("conversation-url");
    var path = url && url.dataset.url;
    if (path && path !== window.location.pathname) {
      window.history.replaceState(null, "", path);
      // A socket that reconnects goes back to the address it was opened with (/ws/chat/ for a
      // new chat): the conversation's id travels with every send, so that it is not a new one.
      var id = path.match(/^\/c\/(\d+)\/$/);
      var field = byId("conversation-id");
      if (id && field) field.value = id[1];
      // The new conversation's title is in its sidebar entry, which came in the same message.
      var link = id && document.querySelector("#conversation-" + id[1] + " .conversation-link");
      var title = byId("chat-title");
      if (link && title) {
        title.textContent = link.textContent;
        document.title = link.textContent + " · Playground";
      }
    }
    var box = byId("id_message");
    if (focusWasInMessageBox && box && document.activeElement !== box) box.focus();
    if (wasAtBottom) {
      var element = scroller();
      element.scrollTop = element.scrollHeight;
    }
  });

  // After a reconnect, ask for the answers that were streaming: frames sent while the socket was
  // down are gone, and the server answers with each message as it is now.
  var socketOpenedBefore = false;
  document.addEventListener("htmx:wsOpen", function (event) {
    if (socketOpenedBefore) {
      var ids = Array.prototype.map.call(
        document.querySelectorAll("article.message.state-streaming"),
        function (article) { return Number(article.id.slice(2)); }
      );
      if (ids.length) {
        event.detail.socketWrapper.send(JSON.stringify({ action: "resync", message_ids: ids }));
      }
    }
    socketOpenedBefore = true;
  });

  // --- editing a question in place -----------------------------------------------------------

  // The form comes from the article's template when Edit is pressed, and goes when it is done.
  function showEditor(article, open) {
    var form = article.querySelector(".edit-form");
    var template = article.querySelector("template.edit-template");
    var blocks = article.querySelector(".blocks");
    var button = article.querySelector(".edit-open");
    if (open && !form && template) {
      form = template.content.firstElementChild.cloneNode(true);
      article.appendChild(form);
      if (window.htmx) htmx.process(form);
    } else if (!open && form) {
      form.remove();
    }
    if (blocks) blocks.hidden = open;
    if (button) button.setAttribute("aria-expanded", open ? "true" : "false");
    var box = open && form && form.querySelector("textarea");
    if (box) {
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var article = target.closest("article.message");
    if (article && target.closest(".edit-open")) showEditor(article, true);
    else if (article && target.closest(".edit-cancel")) showEditor(article, false);
  });

  // --- tabs (inspector, "View code") and the dialogs they live in ----------------------------

  function selectTab(tab) {
    var list = tab.closest("[role=tablist]");
    if (!list) return;
    list.querySelectorAll("[role=tab]").forEach(function (other) {
      var selected = other === tab;
      other.setAttribute("aria-selected", selected ? "true" : "false");
      other.tabIndex = selected ? 0 : -1;
      var panel = byId(other.getAttribute("aria-controls"));
      if (panel) panel.hidden = !selected;
    });
  }

  document.addEventListener("click", function (event) {
    var tab = event.target instanceof Element && event.target.closest("[role=tab]");
    if (tab) selectTab(tab);
  });

  document.addEventListener("keydown", function (event) {
    var tab = event.target instanceof Element && event.target.closest("[role=tab]");
    if (!tab || (event.key !== "ArrowRight" && event.key !== "ArrowLeft")) return;
    var tabs = Array.prototype.slice.call(tab.closest("[role=tablist]").querySelectorAll("[role=tab]"));
    var next = tabs[(tabs.indexOf(tab) + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
    selectTab(next);
    next.focus();
  });

  // A panel's content arrives by htmx into the dialog's body: then the dialog opens.
  var DIALOG_OF_BODY = { "inspector-body": "inspector", "code-view-body": "code-view" };

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    var dialog = target && byId(DIALOG_OF_BODY[target.id]);
    if (dialog && !dialog.open) dialog.showModal();
  });

  document.addEventListener("DOMContentLoaded", function () {
    fitProvider();
    showToolName();
  });
})();
