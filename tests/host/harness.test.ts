/**
 * Self-tests of the harness against the real dynamic-provider host process, with the fixture counter provider
 * (tests/helpers/fixtures/counter.ts). What this does not prove: anything about the Go engine itself; the
 * MiniEngine's step rules are checked against our reading of it, not against the binary.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { HostDriver, ProviderError, startHost } from "../helpers/hostDriver";
import { MiniEngine, secret } from "../helpers/miniEngine";
import { runWithMocks } from "../helpers/programRunner";
import { Counter, counterProvider, readStore } from "../helpers/fixtures/counter";

const TOKEN = "tok-3f9a1c7e";
const URN = "urn:pulumi:dev::harness::pulumi-nodejs:dynamic/fixture:Counter::x";
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "harness-host-"));

describe("HostDriver", () => {
    let host: HostDriver;
    let dir: string;
    let text: string;

    beforeAll(async () => {
        dir = tempDir();
        host = await startHost({ project: "harness" });
        text = (await pulumi.runtime.serializeFunction(() => counterProvider, { allowSecrets: true })).text;
        await host.configure({
            "fixture:stateDir": dir, "fixture:label": "L", "harness:greeting": "hi", "fixture:token": secret(TOKEN),
        });
    });
    afterAll(() => host.close());

    it("passes the whole namespaced config to configure(), with secrets unwrapped", async () => {
        await host.check(URN, {}, { __provider: text, value: 1 });
        expect(readStore(dir).configured).toEqual([{ label: "L", greeting: "hi", tokenLength: TOKEN.length }]);
    });

    it("returns check defaults and check failures", async () => {
        const ok = await host.check(URN, {}, { __provider: text, value: 1 });
        expect(ok).toEqual({ inputs: { __provider: text, value: 1, zone: "a" }, failures: [] });
        const bad = await host.check(URN, {}, { __provider: text, value: -1 });
        expect(bad.failures).toEqual([{ property: "value", reason: "-1 is not a non-negative integer" }]);
    });

    it("runs create, diff, update, read and delete with the host's argument rules", async () => {
        const news = { __provider: text, value: 1, zone: "a" };
        const created = await host.create(URN, news);
        expect(created).toEqual({ id: "c-1", properties: { value: 1, zone: "a", __provider: text } });

        const olds = created.properties;
        expect(await host.diff("c-1", URN, olds, news)).toEqual(
            { changes: "none", replaces: [], deleteBeforeReplace: false, diffs: [] });
        expect(await host.diff("c-1", URN, olds, { ...news, zone: "b", exclusive: true })).toEqual(
            { changes: "some", replaces: ["zone"], deleteBeforeReplace: true, diffs: [] });

        const updated = await host.update("c-1", URN, olds, { ...news, value: 5 });
        expect(updated.properties).toEqual({ value: 5, zone: "a", __provider: text });
        expect(await host.read("c-1", URN, updated.properties)).toEqual(
            { id: "c-1", properties: { value: 5, zone: "a", __provider: text }, inputs: undefined });

        await host.delete("c-1", URN, updated.properties);
        expect((await host.read("c-1", URN, updated.properties)).id).toBe("");
        expect(readStore(dir).journal).toEqual(["create c-1", "update c-1", "delete c-1"]);
    });

    it("keeps the message and the partial-failure id/properties of a create that failed to initialize", async () => {
        const err = await host.create(URN, { __provider: text, value: 3, zone: "a", failInit: true }).catch((e) => e);
        expect(err).toBeInstanceOf(ProviderError);
        expect(err.message).toBe("c-2 was created but did not initialize");
        expect(err.id).toBe("c-2");
        expect(err.properties).toEqual({ value: 3, zone: "a" });
    });

    it("records what the host printed, and the secret config value is not in it", async () => {
        await host.diff("c-9", URN, {}, { __provider: "not javascript (" }).catch(() => undefined);
        expect(host.output).toContain("SyntaxError");
        expect(host.output).not.toContain(TOKEN);
    });
});

describe("MiniEngine over the real host (setMocks program)", () => {
    const opts = (dir: string) => ({ project: "harness", stack: "dev", config: { "fixture:stateDir": dir } });
    const byName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
    const ops = (engine: MiniEngine) => byName(engine.steps).map((s) => `${s.op} ${s.name}`);

    function program(step: 1 | 2) {
        return () => {
            const a = new Counter("a", { value: step });
            if (step === 1) new Counter("b", { value: a.value.apply((v) => v + 1) });
            const c = new Counter("c", { value: 7, zone: step === 1 ? "a" : "b" });
            return { a: a.value, cId: c.id };
        };
    }

    it("creates, then updates/replaces/deletes, then does nothing, with state kept between runs", async () => {
        const dir = tempDir();
        const host = await startHost({ project: "harness" });
        try {
            const engine = new MiniEngine(host);
            expect(await runWithMocks(engine, program(1), opts(dir))).toEqual({ a: 1, cId: "c-2" });
            expect(ops(engine)).toEqual(["create a", "create b", "create c"]);
            // b waited for a's output, so c was created before it.
            expect(readStore(dir).objects).toEqual({
                "c-1": { value: 1, zone: "a" }, "c-2": { value: 7, zone: "a" }, "c-3": { value: 2, zone: "a" },
            });

            expect(await runWithMocks(engine, program(2), opts(dir))).toEqual({ a: 2, cId: "c-4" });
            expect(ops(engine)).toEqual(["update a", "delete b", "replace c"]);
            // create-before-delete: the new c exists before the old one goes; unregistered b goes before replaced c.
            const { journal: written, objects } = readStore(dir);
            expect(written.slice(3, 5).sort()).toEqual(["create c-4", "update c-1"]);
            expect(written.slice(5)).toEqual(["delete c-3", "delete c-2"]);
            expect(objects).toEqual({ "c-1": { value: 2, zone: "a" }, "c-4": { value: 7, zone: "b" } });

            const journal = readStore(dir).journal;
            await runWithMocks(engine, program(2), opts(dir));
            expect(ops(engine)).toEqual(["same a", "same c"]);
            expect(readStore(dir).journal).toEqual(journal);
            expect(new Set(engine.calls.map((c) => c.method))).toEqual(new Set(["check", "diff"]));
        } finally {
            await host.close();
        }
    });
});
