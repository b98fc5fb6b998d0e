import { Column, ForeignKey, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ simpleResolvers: true })
@Entity("companies")
@Index("companies_org_name", ["organizationId", "name", "id"])
export class Company {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @ForeignKey("Organization", { onDelete: "CASCADE" })

  @Column("uuid", { name: "organization_id" })
  organizationId!: string;

  @Field()
  @Column("text")
  name!: string;

  @Field(() => Date, { nullable: true })
  @Column("timestamp with time zone", { name: "signed_up_at", precision: 3, nullable: true })
  signedUpAt!: Date | null;

  @Field()
  @CreateDateColumn({ name: "created_at", type: "timestamp with time zone", precision: 3 })
  createdAt!: Date;
}
