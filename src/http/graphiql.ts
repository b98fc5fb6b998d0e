/**
 * An offline explorer for closed networks: GraphiQL 3 and React 18 served from node_modules
 * (Apollo Sandbox at /graphql loads from Apollo's CDN). The page asks for a bearer token and
 * sends it as the Authorization header; nothing leaves this server.
 */
import path from "node:path";
import express, { type Router } from "express";

/** A file inside an installed package; via package.json because these paths are not in its `exports`. */
const packageFile = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

const assets: Record<string, { file: string; type: string }> = {
  "react.js": { file: packageFile("react", "umd/react.production.min.js"), type: "text/javascript" },
  "react-dom.js": { file: packageFile("react-dom", "umd/react-dom.production.min.js"), type: "text/javascript" },
  "graphiql.js": { file: packageFile("graphiql", "graphiql.min.js"), type: "text/javascript" },
  "graphiql.css": { file: packageFile("graphiql", "graphiql.min.css"), type: "text/css" },
};

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>sessiongraph · GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/assets/graphiql.css">
  <style>
    body { margin: 0; height: 100vh; display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
    #token-bar { display: flex; gap: .5rem; align-items: center; padding: .4rem .8rem; border-bottom: 1px solid #ddd; }
    #token { flex: 1; font-family: monospace; }
    #graphiql { flex: 1; min-height: 0; }
  </style>
</head>
<body>
  <form id="token-bar" autocomplete="off">
    <label for="token">Bearer token</label>
    <input id="token" name="token" type="password" placeholder="sg_… (see .data/demo-tokens.json)">
    <button type="submit">Use token</button>
  </form>
  <div id="graphiql">Loading…</div>
  <script src="/graphiql/assets/react.js"></script>
  <script src="/graphiql/assets/react-dom.js"></script>
  <script src="/graphiql/assets/graphiql.js"></script>
  <script>
    const tokenInput = document.getElementById("token");
    tokenInput.value = sessionStorage.getItem("sessiongraph-token") || "";
    const fetcher = GraphiQL.createFetcher({
      url: new URL("/graphql", location.href).toString(),
      fetch: (url, init) => {
        const headers = new Headers(init && init.headers);
        if (tokenInput.value) headers.set("Authorization", "Bearer " + tokenInput.value.trim());
        return fetch(url, { ...init, headers });
      },
    });
    document.getElementById("token-bar").addEventListener("submit", (event) => {
      event.preventDefault();
      sessionStorage.setItem("sessiongraph-token", tokenInput.value.trim());
    });
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery: "{\\n  viewer {\\n    role\\n    user { name email }\\n    organization { name }\\n  }\\n}\\n" }),
    );
  </script>
</body>
</html>`;

export function graphiqlRouter(): Router {
  const router = express.Router();
  router.get("/graphiql", (_req, res) => {
    res.type("html").set("Cache-Control", "no-store").send(page);
  });
  router.get("/graphiql/assets/:name", (req, res) => {
    const asset = assets[req.params.name];
    if (!asset) {
      res.status(404).type("text").send("Not found");
      return;
    }
    res.type(asset.type).set("Cache-Control", "public, max-age=86400").sendFile(asset.file);
  });
  return router;
}
