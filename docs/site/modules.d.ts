// esbuild's text loader (scripts/build-docs.mjs) imports a .eml file as its text.
declare module "*.eml" {
  const text: string;
  export default text;
}
