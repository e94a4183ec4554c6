// Marks the body as able to run GOV.UK Frontend's JavaScript, as the GOV.UK
// page template does with an inline script. It is a file rather than inline so
// that it needs no CSP nonce (error pages render without one). It runs first
// thing in <body>, before the page is painted, so enhanced components do not
// flash their un-enhanced state.
document.body.className +=
  ' js-enabled' +
  ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
