import type { ListResult } from './list-query.js';
import type { RenderedObject } from './class-views.js';

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${body}\n</body></html>\n`;
}

/** The Web Access log-on page, with an optional failure message. */
export function logonPage(action: string, message?: string): string {
  const msg = message === undefined ? '' : `<div class="logonError">${escapeHtml(message)}</div>\n`;
  return page(
    'LANDESK Service Desk - Log on',
    `<h1>Log on</h1>\n${msg}<form id="logonForm" method="post" action="${escapeHtml(action)}">\n` +
      `<input type="text" name="Ecom_User_ID"><input type="password" name="Ecom_User_Password">\n` +
      `<input type="submit" value="Log on"></form>`,
  );
}

/** An error page whose `exceptionMessage` element holds the text, as Web Access renders exceptions. */
export function errorPage(message: string): string {
  return page(
    'Error',
    `<h1>An error has occurred</h1>\n<div id="exceptionMessage" class="exceptionMessage">${escapeHtml(message)}</div>`,
  );
}

/** A page that is not what a JSON client asked for (e.g. a proxy's maintenance page). */
export function maintenancePage(): string {
  return page('Service unavailable', '<h1>The service is temporarily unavailable</h1>\n<p>Please try again later.</p>');
}

/** What a throttling front end answers with 429 Too Many Requests. */
export function throttlePage(): string {
  return page('Too many requests', '<h1>Too many requests</h1>\n<p>The server is busy. Please wait and try again.</p>');
}

/** What a proxy in front of LGD answers when LGD's answer was bad (502) or did not come in time (504). */
export function gatewayPage(status: 502 | 504): string {
  const title = status === 502 ? '502 Bad Gateway' : '504 Gateway Time-out';
  return page(title, `<center><h1>${title}</h1></center>\n<hr><center>proxy</center>`);
}

/** A plain page for a successful log-on without JSON. */
export function welcomePage(username: string): string {
  return page('LANDESK Service Desk', `<h1>Welcome ${escapeHtml(username)}</h1>`);
}

/** One object rendered as HTML (what a browser gets without the JSON Accept header). */
export function objectPage(o: RenderedObject): string {
  const rows = Object.entries(o.attributes)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('\n');
  return page(o.name, `<h1>${escapeHtml(o.name)}</h1>\n<table class="object" data-key="${escapeHtml(o.value)}">\n${rows}\n</table>`);
}

/** A list result rendered as an HTML table. */
export function listPage(r: ListResult): string {
  const rows = r.objects
    .map(
      (o) =>
        `<tr data-key="${escapeHtml(o.value)}">${Object.values(o.attributes)
          .map((v) => `<td>${escapeHtml(v)}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  return page('Query', `<table class="list">\n${rows}\n</table>\n<div class="pager">Page ${r.pageNumber} of ${r.pageCount}</div>`);
}
