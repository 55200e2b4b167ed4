declare const __DBDOCTOR_VERSION__: string | undefined;

/** Injected by the bundler; tests that run the sources read it from package.json instead. */
export const VERSION: string = typeof __DBDOCTOR_VERSION__ === "string" ? __DBDOCTOR_VERSION__ : "0.0.0-dev";
