export { Role } from "./role";
