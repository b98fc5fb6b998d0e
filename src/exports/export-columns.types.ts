import { Field, ObjectType } from "type-graphql";

@ObjectType({ simpleResolvers: true, description: "One export column: its key, the header the file carries, and what it holds." })
export class ExportColumnInfo {
  @Field({ description: "The column's key: the enum value (SessionColumn, ActivityColumn, UserColumn) to ask for it by." })
  column!: string;

  @Field({ description: "The CSV header the export writes for it." })
  header!: string;

  @Field({ description: "One line: what a cell holds." })
  meaning!: string;

  @Field({ description: "Shows other users' data: offered to admins only (other roles never see it listed)." })
  adminOnly!: boolean;

  @Field({ description: "Whether a cell is an integer, written unquoted (otherwise text, quoted)." })
  numeric!: boolean;
}
