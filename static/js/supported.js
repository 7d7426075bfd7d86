// GOV.UK Frontend styles its components for JavaScript only when the browser supports ES modules.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
