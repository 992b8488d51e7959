import { render } from "preact";
import { createAppState } from "./app-state.ts";
import { App } from "./components/app.tsx";

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");

const state = createAppState(window);
render(<App state={state} />, root);
void state.start();
