// A typedoc plugin for dsnkit's docs site. The guides (docs/*.md, `projectDocuments` in
// typedoc.json) are listed in the order a reader needs them (ORDER; a guide not named there comes
// after those), before the packages' API, and named by their first heading, shortened
// ("Rendering bounces with `@dsnkit/core`" → "Rendering bounces", "ses-local: a local SES ..." →
// "ses-local"). Their pages keep the file's name (documents/rendering.html): the heading replaces
// the name only once the renderer has laid out the pages.
import { Converter, RendererEvent } from "typedoc";

const ORDER = ["getting-started.md", "playground.md", "rendering.md", "parsing-and-checking.md", "ses.md", "ses-local.md", "cli.md", "testing.md", "benchmarks.md"];

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      const project = context.project;
      const rank = (r) => {
        if (!r.isDocument()) return ORDER.length + 1;
        const i = ORDER.indexOf(project.files.getReflectionPath(r)?.split("/").pop() ?? "");
        return i < 0 ? ORDER.length : i;
      };
      const order = (list) => list?.sort((a, b) => rank(a) - rank(b)); // stable: ties keep their order
      order(project.documents);
      order(project.childrenIncludingDocuments);
    },
    -1000, // after typedoc's own sorting
  );
  app.renderer.on(RendererEvent.BEGIN, (event) => {
    for (const doc of event.project.documents ?? []) {
      const heading = /^#[ \t]+(.+)$/m.exec(doc.content.map((part) => part.text).join(""));
      if (heading === null) continue;
      doc.name = heading[1]
        .replace(/`/g, "")
        .replace(/:\s.*$/, "")
        .replace(/\s+with\s+@dsnkit\/[\w-]+$/, "")
        .trim();
    }
  });
}
