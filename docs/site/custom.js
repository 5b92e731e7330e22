// Loaded by every page of the docs site (typedoc's customJs). The playground page holds
// <div id="dsnkit-playground">; there, load the playground (assets/playground.js, @dsnkit/core
// bundled for the browser). A classic script, so that the site also works from file://.
(function () {
  var mount = document.getElementById("dsnkit-playground");
  if (!mount || !document.currentScript) return;
  var script = document.createElement("script");
  script.src = new URL("playground.js", document.currentScript.src).href;
  document.head.appendChild(script);
})();
