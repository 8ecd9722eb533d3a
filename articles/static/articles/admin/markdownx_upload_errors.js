// A refused image upload (SVG, too big, not an image) shows the server's reason.
//
// markdownx inserts the text "Invalid response" into the editor when its upload
// endpoint answers without an image, and drops the reason our endpoint gives
// (articles/markdownx_views.py answers {"image": ["..."]} or {"error": "..."}).
// It announces the failure with a "markdownx.fileUploadError" event just
// before inserting that text. The event does not bubble, so it is caught on
// the way down (capture); the editor's text as it was is put back once
// markdownx has inserted its placeholder, and the reason is shown above it.
"use strict";

(() => {
    const CLASS = "markdownx-upload-error";

    function reasonFrom(detail) {
        const response = Array.isArray(detail) ? detail[0] : detail;
        if (response && typeof response === "object") {
            if (Array.isArray(response.image) && response.image.length) {
                return response.image.join(" ");
            }
            if (typeof response.error === "string") {
                return response.error;
            }
        }
        return "The image could not be uploaded. Check your connection and try again.";
    }

    function showReason(container, editor, reason) {
        let note = container.querySelector(`.${CLASS}`);
        if (!note) {
            note = document.createElement("p");
            note.className = `errornote ${CLASS}`;
            note.setAttribute("role", "alert");
            container.insertBefore(note, container.firstChild);
        }
        note.textContent = `Image not uploaded: ${reason}`;
        editor.setAttribute("aria-describedby", note.id || (note.id = `${editor.id}-upload-error`));
    }

    function onUploadError(event) {
        const container = event.target;
        const editor = container && container.querySelector && container.querySelector(".markdownx-editor");
        if (!editor) {
            return;
        }
        const text = editor.value;
        const start = editor.selectionStart;
        const end = editor.selectionEnd;
        // markdownx inserts its placeholder right after dispatching the event.
        setTimeout(() => {
            editor.value = text;
            editor.setSelectionRange(start, end);
            editor.dispatchEvent(new Event("input", { bubbles: true }));
            showReason(container, editor, reasonFrom(event.detail));
        }, 0);
    }

    function onUploadEnd(event) {
        const note = event.target && event.target.querySelector && event.target.querySelector(`.${CLASS}`);
        if (note) {
            note.remove();
        }
    }

    document.addEventListener("markdownx.fileUploadError", onUploadError, true);
    document.addEventListener("fileUploadError", onUploadError, true);
    document.addEventListener("markdownx.fileUploadEnd", onUploadEnd, true);
})();
