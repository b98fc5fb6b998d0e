import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Field, ID, ObjectType } from "type-graphql";

/** The tenant. Nothing is ever read across organizations. */
@ObjectType({ simpleResolvers: true })
@Entity("organizations")
export class Organization {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Field({ description: 'Shown as the "Workspace" column of exports.' })
  @Column("text")
  name!: string;

  @Field()
  @CreateDateColumn({ name: "created_at", type: "timestamp with time zone", precision: 3 })
  createdAt!: Date;
}
