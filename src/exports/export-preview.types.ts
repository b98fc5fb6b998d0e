import { Field, Float, Int, ObjectType } from "type-graphql";
import { ExportKind } from "./export.entity";

@ObjectType({ simpleResolvers: true, description: "What an export would hold, without starting one; within your scope, like the export itself." })
export class ExportPreview {
  @Field(() => ExportKind)
  kind!: ExportKind;

  @Field(() => Int, { description: "Rows the export would hold: the list's `totalCount` for the same filter." })
  rowCount!: number;

  @Field(() => Float, { description: "Estimated file size in bytes: the header and the first rows as written, the rest at their average size (exact up to 10 rows)." })
  estimatedBytes!: number;

  @Field(() => [String], { description: "Column keys, in file order." })
  columns!: string[];

  @Field(() => [String], { description: "The CSV headers, in file order." })
  headers!: string[];

  @Field(() => [[String]], { description: "The first 10 rows, cells as the file holds them (formulas neutralised when asked; empty cells as \"\")." })
  rows!: string[][];

  @Field({ description: "The beginning of the file itself: header and first 10 rows, written by the export's CSV writer (CRLF line ends; with the byte-order mark when `options.bom`)." })
  csv!: string;
}
