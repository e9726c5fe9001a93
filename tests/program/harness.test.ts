/**
 * Self-tests of the program-level harness with the fixture counter provider (tests/helpers/fixtures/counter.ts):
 * the MiniEngine over the in-process host under setMocks, then a real `cmd/run` program run twice against the real
 * host. What this does not prove: the Go engine's own behaviour (parallelism, state file, display); the step rules
 * are our reading of pkg/resource/deploy/step_generator.go.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { InProcessHost, Props, startHost, UNKNOWN } from "../helpers/hostDriver";
import { isSecret, MiniEngine, Step } from "../helpers/miniEngine";
import { ProgramRunError, runProgram, runWithMocks } from "../helpers/programRunner";
import { withRealEnv } from "../helpers/realProcess";
import { Counter, CounterArgs, readStore } from "../helpers/fixtures/counter";

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "harness-program-"));
const ops = (steps: Step[]) => steps.map((s) => `${s.op} ${s.name}`).sort();

/** Records what check() was given. */
class RecordingHost extends InProcessHost {
    readonly checks: Props[] = [];
    override check(urn: string, olds: Props, news: Props) {
        this.checks.push(news);
        return super.check(urn, olds, news);
    }
}

/** A fresh store, engine and in-process host; `up` runs a program as one deployment. */
function setup(extraConfig: Record<string, string> = {}, host = new InProcessHost("harness")) {
    const dir = tempDir();
    const engine = new MiniEngine(host);
    const config = { "fixture:stateDir": dir, ...extraConfig };
    const up = (program: () => unknown, dryRun = false) =>
        runWithMocks(engine, program as () => void, { project: "harness", stack: "dev", config, dryRun });
    return { dir, engine, up, store: () => readStore(dir) };
}

/** The fixture's standard change: step 1 has a, b (from a's output) and c; step 2 updates a, drops b, moves c. */
function lifecycle(step: 1 | 2, extra: Partial<CounterArgs> = {}) {
    return () => {
        const a = new Counter("a", { value: step });
        if (step === 1) new Counter("b", { value: a.value.apply((v) => v + 1) });
        const c = new Counter("c", { value: 7, zone: step === 1 ? "a" : "b", ...extra });
        return { a: a.value, cId: c.id };
    };
}

describe("MiniEngine over the in-process host (setMocks)", () => {
    it("creates, then updates, replaces (create before delete) and deletes, then a third run is all same", async () => {
        const { engine, up, store } = setup();
        expect(await up(lifecycle(1))).toEqual({ a: 1, cId: "c-2" });
        expect(ops(engine.steps)).toEqual(["create a", "create b", "create c"]);

        expect(await up(lifecycle(2))).toEqual({ a: 2, cId: "c-4" });
        expect(engine.steps.find((s) => s.name === "a")).toMatchObject({ op: "update", detailedDiff: ["value"] });
        expect(engine.steps.find((s) => s.name === "c")).toMatchObject(
            { op: "replace", replaces: ["zone"], oldId: "c-2", id: "c-4" });
        expect(ops(engine.steps)).toEqual(["delete b", "replace c", "update a"]);
        expect(store().journal.slice(3, 5).sort()).toEqual(["create c-4", "update c-1"]);
        expect(store().journal.slice(5)).toEqual(["delete c-3", "delete c-2"]);
        expect([...engine.state.values()].filter((r) => r.custom).map((r) => [r.name, r.id]))
            .toEqual([["a", "c-1"], ["c", "c-4"]]);

        const journal = store().journal;
        await up(lifecycle(2));
        expect(ops(engine.steps)).toEqual(["same a", "same c"]);
        expect(store().journal).toEqual(journal);
    });

    it("previews planned steps without any provider write or state change", async () => {
        const { engine, up, store } = setup();
        await up(lifecycle(1));
        const before = JSON.stringify([...engine.state.entries()]);

        await up(lifecycle(2), true);
        expect(ops(engine.steps)).toEqual(["delete b", "replace c", "update a"]);
        expect(new Set(engine.calls.map((c) => c.method))).toEqual(new Set(["check", "diff"]));
        expect(store().journal).toEqual(["create c-1", "create c-2", "create c-3"]);
        expect(JSON.stringify([...engine.state.entries()])).toBe(before);
    });

    it("previews a new stack: ids are unknown and inputs computed from them reach check as rpc.unknownValue", async () => {
        const host = new RecordingHost("harness");
        const { engine, up, store } = setup({}, host);
        const outputs = await up(() => {
            const a = new Counter("a", { value: 1 });
            new Counter("d", { value: a.id.apply((id) => id.length) });
            return { aId: a.id, aValue: a.value };
        }, true);
        expect(ops(engine.steps)).toEqual(["create a", "create d"]);
        // Preview outputs are the checked inputs: value is known, the id is not.
        expect(outputs).toEqual({ aId: UNKNOWN, aValue: 1 });
        expect(host.checks.filter((news) => news.value === UNKNOWN)).toHaveLength(1);
        expect(engine.state.size).toBe(0);
        expect(store().journal).toEqual([]);
    });

    it("refresh picks up drift and drops objects deleted out of band; the next run repairs both", async () => {
        const { dir, engine, up, store } = setup();
        await up(lifecycle(1));
        const edited = store();
        edited.objects["c-1"].value = 99;
        delete edited.objects["c-3"];
        fs.writeFileSync(path.join(dir, "store.json"), JSON.stringify(edited));

        const steps = await engine.refresh();
        expect(steps.map((s) => [s.op, s.name, s.detailedDiff])).toEqual(
            [["read", "a", ["value"]], ["read", "c", []], ["delete", "b", undefined]]);
        expect(engine.state.get(steps[0].urn)!.outputs.value).toBe(99);
        expect(engine.state.has(steps[2].urn)).toBe(false);

        await up(lifecycle(1));
        expect(ops(engine.steps)).toEqual(["create b", "same c", "update a"]);
        expect(store().objects["c-1"].value).toBe(1);
    });

    it("deletes dependents before their dependencies, whatever the registration order", async () => {
        const { engine, up, store } = setup();
        await up(() => {
            const x = new Counter("x", { value: 1 });
            new Counter("y", { value: x.value.apply(() => 2) });
        });
        // Now x depends on y, but x stays first in state (it was created first): reverse order would be wrong.
        await up(() => {
            const y = new Counter("y", { value: 2 });
            new Counter("x", { value: 1 }, { dependsOn: [y] });
            const group = new pulumi.ComponentResource("fixture:index:Group", "g");
            new Counter("child", { value: 3 }, { parent: group });
        });
        await up(() => undefined);
        // x (c-1) depends on y (c-2); child (c-3) is independent and may go in the same parallel antichain.
        const journal = store().journal.slice(-3);
        expect([...journal].sort()).toEqual(["delete c-1", "delete c-2", "delete c-3"]);
        expect(journal.indexOf("delete c-1")).toBeLessThan(journal.indexOf("delete c-2"));
        const deletes = engine.steps.map((s) => s.name);
        expect(deletes.indexOf("child")).toBeLessThan(deletes.indexOf("g"));
        expect(deletes.indexOf("x")).toBeLessThan(deletes.indexOf("y"));
    });

    it("deletes first when the provider asks for delete-before-replace", async () => {
        const { up, store } = setup();
        await up(() => { new Counter("c", { value: 1, zone: "a", exclusive: true }); });
        await up(() => { new Counter("c", { value: 1, zone: "b", exclusive: true }); });
        expect(store().journal).toEqual(["create c-1", "delete c-1", "create c-2"]);
    });

    it("fails the run on check failures, naming the resource and the failure, and creates nothing", async () => {
        const { up, store } = setup();
        await expect(up(() => { new Counter("bad", { value: -1 }); })).rejects.toThrow(
            "pulumi-nodejs:dynamic/fixture:Counter resource 'bad' failed check: value: -1 is not a non-negative integer");
        expect(store().journal).toEqual([]);
    });

    it("keeps a partially created object in state and updates it on the next run", async () => {
        const { engine, up, store } = setup();
        await expect(up(() => { new Counter("p", { value: 1, failInit: true }); })).rejects.toThrow(
            "pulumi-nodejs:dynamic/fixture:Counter resource 'p': create failed: c-1 was created but did not initialize");
        const [kept] = [...engine.state.values()].filter((r) => r.custom);
        expect(kept).toMatchObject({ name: "p", id: "c-1", outputs: { value: 1, zone: "a" } });

        await up(() => { new Counter("p", { value: 1 }); });
        expect(ops(engine.steps)).toEqual(["update p"]);
        expect(store().journal).toEqual(["create c-1", "update c-1"]);
    });

    it("passes the stack config to configure(), and strips then re-marks secret inputs", async () => {
        const { engine, up, store } = setup({ "fixture:label": "L", "harness:greeting": "hi", "fixture:token": "t0k" });
        engine.secretKeys = ["fixture:token"];
        const outputs = await up(() => ({ label: new Counter("s", { value: 1, label: pulumi.secret("hush") }).label }));
        expect(store().configured).toEqual([{ label: "L", greeting: "hi", tokenLength: 3 }]);
        expect(store().objects["c-1"].label).toBe("hush");
        expect(outputs).toEqual({ label: "hush" });
        const [s] = [...engine.state.values()].filter((r) => r.custom);
        expect(isSecret(s.outputs.label)).toBe(true);
        expect(isSecret(s.outputs.value)).toBe(false);
        expect(isSecret(engine.stackOutputs.label)).toBe(true);
    });

    it("reads an existing object for a resource registered with an id (Resource.get), without managing it", async () => {
        const { engine, up, store } = setup();
        await up(() => { new Counter("owned", { value: 4, label: "x" }); });
        const outputs = await up(() => {
            new Counter("owned", { value: 4, label: "x" });
            return { seen: new Counter("seen", { value: 0 }, { id: "c-1" }).label };
        });
        expect(outputs).toEqual({ seen: "x" });
        expect(ops(engine.steps)).toEqual(["read seen", "same owned"]);
        expect([...engine.state.values()].map((r) => r.name)).not.toContain("seen");
        expect(store().journal).toEqual(["create c-1"]);
    });

    it("lets an in-process provider read variables set on the real process", async () => {
        const dir = tempDir();
        const engine = new MiniEngine(new InProcessHost("harness"));
        await withRealEnv({ FIXTURE_STATE_DIR: dir }, () =>
            runWithMocks(engine, () => { new Counter("e", { value: 1 }); }, { project: "harness", stack: "dev" }));
        expect(readStore(dir).objects).toEqual({ "c-1": { value: 1, zone: "a" } });
    });

    it("destroys everything, dependents first", async () => {
        const { engine, up, store } = setup();
        await up(lifecycle(1));
        const steps = await engine.destroy();
        const order = steps.map((s) => `${s.op} ${s.name}`);
        expect([...order].sort()).toEqual(["delete a", "delete b", "delete c"]);
        expect(order.indexOf("delete b")).toBeLessThan(order.indexOf("delete a")); // b depends on a
        expect(store().objects).toEqual({});
        expect(engine.state.size).toBe(0);
    });
});

describe("runProgram (cmd/run + monitor server + real host)", () => {
    const programDir = path.join(__dirname, "../helpers/fixtures/program");
    const TOKEN = "tok-6b0d2e91";

    it("runs a real program twice with state kept, and surfaces a failing run with its messages", async () => {
        const dir = tempDir();
        const host = await startHost({ project: "harness-fixture" });
        const engine = new MiniEngine(host);
        const run = (step: number) => runProgram({
            programDir, project: "harness-fixture", stack: "dev", engine,
            config: { "harness-fixture:step": String(step), "harness-fixture:token": TOKEN, "fixture:stateDir": dir },
            secretKeys: ["harness-fixture:token"],
            // ts-node type-checking costs ~3 s per run; the repo's tsc already checks the fixture program.
            env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
        });
        try {
            const first = await run(1);
            expect(ops(first.steps)).toEqual(["create a", "create b", "create c"]);
            expect(first.outputs).toEqual({ aValue: 10, bValue: 11, cZone: "a", cId: "c-2", token: TOKEN });
            expect(first.secretOutputs).toEqual(["token"]);
            expect(first.logs).toContainEqual(expect.objectContaining({ severity: "info", message: "fixture program ran step 1" }));

            const second = await run(2);
            expect(ops(second.steps)).toEqual(["delete b", "replace c", "update a"]);
            expect(second.outputs).toEqual({ aValue: 20, cZone: "b", cId: "c-4", token: TOKEN });
            expect(readStore(dir).objects).toEqual({
                "c-1": { value: 20, zone: "a", label: "step-2" }, "c-4": { value: 7, zone: "b" },
            });

            const journal = readStore(dir).journal;
            const failed: ProgramRunError = await run(-1).catch((e) => e);
            expect(failed).toBeInstanceOf(ProgramRunError);
            expect(failed.message).toContain("resource 'a' failed check: value: -10 is not a non-negative integer");
            expect(failed.result.exitCode).not.toBe(0);
            // The failed run neither wrote nor deleted anything (b and c were not deleted although not registered).
            expect(readStore(dir).journal).toEqual(journal);

            for (const text of [host.output, first.stdout, first.stderr, second.stdout, second.stderr]) {
                expect(text).not.toContain(TOKEN);
            }
        } finally {
            await host.close();
        }
    }, 180000);
});
