// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.37;

/// @title Causeway anchor registry
/// @notice Anchors checkpoints (tree size, root hash) of Causeway ledgers, per log origin.
/// Per origin, checkpoints are monotonic: the size only grows; an equal size with a different
/// root is rejected as a fork, an equal size with the same root as a duplicate, a smaller size as
/// a rollback. Each origin has its own allow-list of submitters, managed by the registry's owner
/// or by the origin's admin (an account the owner names per origin, e.g. the log's operator), so
/// one registry on a consortium chain can serve several logs without one log's submitters being
/// able to anchor another's. Every anchor emits `Anchored`, which is what clients read back and
/// what anchor receipts point to.
///
/// Recovery: an allowed submitter can anchor a checkpoint that the log never signed, or one at
/// size 2^64 - 1, after which no honest anchor of that origin is accepted again. The registry's
/// owner (only the owner: an origin's admin is typically the log's operator, whose history the
/// anchors exist to hold it to) can then `resetHead` the origin to a checkpoint that was
/// anchored for it before (`wasAnchored`), or to nothing; never to a checkpoint the chain has
/// not seen anchored (`NeverAnchored`). A reset is loud, never silent: it emits `HeadReset`
/// naming the head it replaced, and `Anchored` for the new head (so clients that follow the
/// latest `Anchored` event keep working). Anchors made before the reset stay in the chain's
/// history, but Causeway clients refuse them in online verification once a `HeadReset` of
/// their origin follows them (docs/spec/anchoring.md).
/// @dev One storage slot per origin holds `keccak256(abi.encode(size, root))` of the latest
/// anchored checkpoint (zero before the first). When a head is replaced (by a later anchor or a
/// reset) it is recorded in `pastHead`, so every head ever anchored is either the current head
/// or a past head (`wasAnchored`): the first anchor of an origin costs one SSTORE, every later
/// one two (the head and the replaced head's record). The caller passes
/// the latest checkpoint it knows (`prevSize`, `prevRoot`; zeros for the first); a stale value is
/// rejected with `StaleHead`, so the monotonicity checks always run against the stored head.
/// `origin` is `keccak256(bytes(originString))`.
contract AnchorRegistry {
    /// @notice The registry's owner, who names origin admins and may manage any allow-list.
    address public owner;
    /// @notice Per origin, the account that manages its allow-list besides the owner (or zero).
    mapping(bytes32 => address) public originAdmin;
    /// @notice Per origin, whether an address may anchor that origin's checkpoints.
    mapping(bytes32 => mapping(address => bool)) public isSubmitter;
    /// @notice Per origin, the hash of the latest anchored (size, root), or zero.
    mapping(bytes32 => bytes32) public head;
    /// @notice Per origin, whether a head value (`headOf(size, root)`) was the origin's head
    /// and has been replaced since (by a later anchor or a reset).
    mapping(bytes32 => mapping(bytes32 => bool)) public pastHead;
    /// @dev Per origin, the block number of every `resetHead`, in order (non-decreasing). Lets a
    /// client find the first reset after an anchor with a binary search over `resetCount` and
    /// `resetBlock` instead of searching the logs from the anchor's block to the tip.
    mapping(bytes32 => uint256[]) internal resetBlocks;

    /// @notice A checkpoint of the log `origin` was anchored.
    event Anchored(bytes32 indexed origin, uint64 size, bytes32 root, address indexed submitter);
    /// @notice A submitter was allowed (`allowed`) or removed for `origin`.
    event SubmitterSet(bytes32 indexed origin, address indexed submitter, bool allowed);
    /// @notice The admin of `origin` changed (zero: none).
    event OriginAdminSet(bytes32 indexed origin, address indexed admin);
    /// @notice Ownership moved.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    /// @notice The owner replaced the head of `origin` (`replaced`) with (`size`, `root`), or
    /// cleared it (size 0).
    event HeadReset(bytes32 indexed origin, bytes32 replaced, uint64 size, bytes32 root, address indexed by);

    error NotOwner();
    error NotOriginAdmin(bytes32 origin, address caller);
    error NotSubmitter(address caller);
    error StaleHead();
    error Rollback(uint64 anchoredSize, uint64 size);
    error Duplicate();
    error Fork();
    error EmptyCheckpoint();
    error ZeroAddress();
    error BadReset();
    error NeverAnchored(bytes32 origin, bytes32 head);

    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    /// @notice Names the account that manages the allow-list of `origin` (zero: only the owner).
    function setOriginAdmin(bytes32 origin, address admin) external onlyOwner {
        originAdmin[origin] = admin;
        emit OriginAdminSet(origin, admin);
    }

    /// @notice Allows or removes a submitter for `origin` (the owner or the origin's admin).
    function setSubmitter(bytes32 origin, address submitter, bool allowed) external {
        if (msg.sender != owner && msg.sender != originAdmin[origin]) {
            revert NotOriginAdmin(origin, msg.sender);
        }
        if (submitter == address(0)) revert ZeroAddress();
        isSubmitter[origin][submitter] = allowed;
        emit SubmitterSet(origin, submitter, allowed);
    }

    /// @notice Hands the registry to a new owner.
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    /// @notice Recovery (owner only): replaces the head of `origin`, which must currently be
    /// `expectedHead` (so a reset never races an anchor), with the checkpoint (`size`, `root`),
    /// which must have been anchored for `origin` before (else `NeverAnchored`), or clears it
    /// when both are zero (the next anchor is then a first anchor). Emits `HeadReset`, and
    /// `Anchored` for a non-empty new head.
    function resetHead(bytes32 origin, bytes32 expectedHead, uint64 size, bytes32 root)
        external
        onlyOwner
    {
        bytes32 current = head[origin];
        if (current != expectedHead || current == bytes32(0)) revert StaleHead();
        if ((size == 0) != (root == bytes32(0))) revert BadReset();
        bytes32 next = size == 0 ? bytes32(0) : headOf(size, root);
        if (next == current) revert BadReset();
        if (next != bytes32(0) && !pastHead[origin][next]) revert NeverAnchored(origin, next);
        pastHead[origin][current] = true;
        head[origin] = next;
        resetBlocks[origin].push(block.number);
        emit HeadReset(origin, current, size, root, msg.sender);
        if (size != 0) emit Anchored(origin, size, root, msg.sender);
    }

    /// @notice How many times `origin`'s head was reset.
    function resetCount(bytes32 origin) external view returns (uint256) {
        return resetBlocks[origin].length;
    }

    /// @notice The block number of `origin`'s `i`-th reset (from 0, in order); reverts past the
    /// end.
    function resetBlock(bytes32 origin, uint256 i) external view returns (uint256) {
        return resetBlocks[origin][i];
    }

    /// @notice The head value for a checkpoint: `keccak256(abi.encode(size, root))`.
    function headOf(uint64 size, bytes32 root) public pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, size)
            mstore(0x20, root)
            h := keccak256(0x00, 0x40)
        }
    }

    /// @notice Whether the head value `h` (`headOf(size, root)`) was ever anchored for `origin`
    /// (it is the current head or a past one): the heads `resetHead` may return to.
    function wasAnchored(bytes32 origin, bytes32 h) external view returns (bool) {
        return h != bytes32(0) && (head[origin] == h || pastHead[origin][h]);
    }

    /// @notice Whether (`size`, `root`) is the latest anchored checkpoint of `origin`.
    function isLatest(bytes32 origin, uint64 size, bytes32 root) external view returns (bool) {
        return size != 0 && head[origin] == headOf(size, root);
    }

    /// @notice Anchors the checkpoint (`size`, `root`) of the log `origin`, given the latest
    /// anchored checkpoint (`prevSize`, `prevRoot`), or zeros if there is none.
    function anchor(bytes32 origin, uint64 prevSize, bytes32 prevRoot, uint64 size, bytes32 root)
        external
    {
        if (!isSubmitter[origin][msg.sender]) revert NotSubmitter(msg.sender);
        if (size == 0) revert EmptyCheckpoint();
        bytes32 current = head[origin];
        if (prevSize == 0) {
            if (current != bytes32(0) || prevRoot != bytes32(0)) revert StaleHead();
        } else if (current != headOf(prevSize, prevRoot)) {
            revert StaleHead();
        }
        if (size < prevSize) revert Rollback(prevSize, size);
        if (size == prevSize) {
            if (root == prevRoot) revert Duplicate();
            revert Fork();
        }
        if (current != bytes32(0)) pastHead[origin][current] = true;
        head[origin] = headOf(size, root);
        emit Anchored(origin, size, root, msg.sender);
    }
}
