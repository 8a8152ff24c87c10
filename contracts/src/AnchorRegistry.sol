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
/// @dev One storage slot per origin holds `keccak256(abi.encode(size, root))` of the latest
/// anchored checkpoint (zero before the first), so an anchor costs one SSTORE. The caller passes
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

    /// @notice A checkpoint of the log `origin` was anchored.
    event Anchored(bytes32 indexed origin, uint64 size, bytes32 root, address indexed submitter);
    /// @notice A submitter was allowed (`allowed`) or removed for `origin`.
    event SubmitterSet(bytes32 indexed origin, address indexed submitter, bool allowed);
    /// @notice The admin of `origin` changed (zero: none).
    event OriginAdminSet(bytes32 indexed origin, address indexed admin);
    /// @notice Ownership moved.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error NotOwner();
    error NotOriginAdmin(bytes32 origin, address caller);
    error NotSubmitter(address caller);
    error StaleHead();
    error Rollback(uint64 anchoredSize, uint64 size);
    error Duplicate();
    error Fork();
    error EmptyCheckpoint();
    error ZeroAddress();

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

    /// @notice The head value for a checkpoint: `keccak256(abi.encode(size, root))`.
    function headOf(uint64 size, bytes32 root) public pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, size)
            mstore(0x20, root)
            h := keccak256(0x00, 0x40)
        }
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
        head[origin] = headOf(size, root);
        emit Anchored(origin, size, root, msg.sender);
    }
}
