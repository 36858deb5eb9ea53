// The console is a live, signed-in application: it renders in the browser and talks to /api
// and Socket.IO; there is nothing useful to render on the server.
export const ssr = false;
export const prerender = false;
