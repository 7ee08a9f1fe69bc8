import { describe, expect, it } from "vitest";
import { folderTree, markedPieces } from "./upload";

describe("markedPieces", () => {
  it("cuts the text around each highlight, in order", () => {
    expect(markedPieces("the Warehouse lease", [{ start: 14, end: 19 }, { start: 4, end: 13 }])).toEqual([
      ["the ", false],
      ["Warehouse", true],
      [" ", false],
      ["lease", true],
    ]);
  });

  it("ignores highlights that overlap or fall outside the text", () => {
    expect(markedPieces("abc", [{ start: 0, end: 2 }, { start: 1, end: 3 }, { start: 2, end: 9 }])).toEqual([
      ["ab", true],
      ["c", false],
    ]);
  });
});

describe("folderTree", () => {
  it("puts each folder under its parent, by path", () => {
    const folders = [
      { id: "2", parent_id: "1", path: "/Office/Contracts", name: "Contracts" },
      { id: "1", parent_id: null, path: "/Office", name: "Office" },
      { id: "3", parent_id: null, path: "/Archive", name: "Archive" },
    ];
    const tree = folderTree(folders);
    expect(tree.map((n) => n.folder.name)).toEqual(["Archive", "Office"]);
    expect(tree[1].children.map((n) => n.folder.name)).toEqual(["Contracts"]);
  });
});
