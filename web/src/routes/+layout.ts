// A client-rendered single-page app: the netcrew binary serves build/index.html
// for every unknown path and the router takes over in the browser.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';
