import { describe, expect, it } from "vitest";
import { indexDirectory, searchDirectory, waitingFor, type Staff } from "./directory";

function person(employee_id: string, name: string, department: string, extension: string | null = null): Staff {
  return {
    employee_id,
    name,
    email: `${employee_id}@example.com`,
    department,
    position: "Clerk",
    extension,
    availability: "available",
    availability_note: null,
  };
}

const people = indexDirectory([
  person("a", "Ana Álvarez", "Finance", "2101"),
  person("b", "Bruno Ferrán", "Logistics", "3210"),
  person("c", "Carla Ana", "Logistics"),
  person("d", "Dana Smith", "Finance", "2150"),
]);
const ids = (text: string) => searchDirectory(people, text).map((p) => p.employee_id);

describe("the switchboard's directory search", () => {
  it("finds a name's start first, then any part, without accents or case", () => {
    expect(ids("ana")).toEqual(["a", "c", "d"]);
    expect(ids("ALVA")).toEqual(["a"]);
    expect(ids("ferran")).toEqual(["b"]);
  });
  it("finds a department and an extension's first digits", () => {
    expect(ids("logis")).toEqual(["b", "c"]);
    expect(ids("21")).toEqual(["a", "d"]);
    expect(ids("210")).toEqual(["a"]);
  });
  it("shows everyone for no text, and counts the messages waiting", () => {
    expect(ids("  ")).toEqual(["a", "b", "c", "d"]);
    const waiting = waitingFor([{ for_employee_id: "a" }, { for_employee_id: "a" }, { for_employee_id: "c" }]);
    expect(waiting.get("a")).toBe(2);
    expect(waiting.get("b")).toBeUndefined();
  });
});
