// Live preview for Markdown editors in inline rows added with "Add another".
//
// markdownx attaches its editor and preview to the editors present when its
// script runs and has no public API for editors added later. A new row is a
// copy of the hidden template row, which markdownx has already attached to, so
// the copy carries markdownx's "attached" marker without its listeners. We
// remove the marker and run markdownx's script again: it attaches to every
// editor without the marker, which is now only the new row's.
"use strict";

document.addEventListener("formset:added", (event) => {
    const editors = event.target.querySelectorAll(".markdownx .markdownx-editor");
    const original = document.querySelector('script[src*="markdownx/js/markdownx"]');
    if (!editors.length || !original) {
        return;
    }
    editors.forEach((editor) => editor.removeAttribute("data-markdownx-init"));
    const script = document.createElement("script");
    script.src = original.src;
    document.head.appendChild(script);
});
